using System.Net;

namespace VMess.Configuration.Options;

/// <summary>
/// The operator API (<c>api</c>): gRPC on the endpoint of the one dokodemo-door inbound that routing sends to
/// <see cref="Tag"/>, where V2Ray's commander would take that inbound's connections. That inbound is served here and
/// is not among <see cref="NodeOptions.Inbounds"/>, nor are the rules that route to <see cref="Tag"/> among the routing rules.
/// </summary>
public sealed record ApiOptions(string Tag, ApiServices Services, string InboundTag, IPEndPoint EndPoint)
{
    /// <summary>Whether only this machine can reach the API (127.0.0.0/8 or ::1); any other address needs a token.</summary>
    public bool IsLoopbackOnly => IPAddress.IsLoopback(EndPoint.Address);
}
