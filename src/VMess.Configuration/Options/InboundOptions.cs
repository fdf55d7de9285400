using System.Net;

namespace VMess.Configuration.Options;

/// <summary>
/// One listener (<c>inbounds[i]</c>). <see cref="Listen"/> defaults to 0.0.0.0 as in V2Ray; <see cref="Port"/> is
/// 0..65535, where 0 lets the OS pick a free port (V2Ray accepts 0 too). Exactly the settings of
/// <see cref="Protocol"/> are set: <see cref="VMess"/>, <see cref="Socks"/>, <see cref="Http"/> or <see cref="Dokodemo"/>.
/// </summary>
public sealed record InboundOptions(
    string? Tag,
    IPAddress Listen,
    int Port,
    InboundProtocol Protocol,
    VMessInboundSettings? VMess,
    SocksInboundSettings? Socks = null,
    HttpInboundSettings? Http = null,
    DokodemoSettings? Dokodemo = null)
{
    public IPEndPoint EndPoint => new(Listen, Port);

    /// <summary>
    /// The last port of a range (V2Ray's <c>"port": "10000-10010"</c>, where <see cref="Port"/> is the first), or -1
    /// for a single port; <see cref="LastPort"/> is the last port either way. A range never starts at 0. With
    /// <see cref="Allocate"/> "always" every port of the range is open; "random" needs a range.
    /// </summary>
    public int PortTo { get; init; } = -1;

    public int LastPort => PortTo < 0 ? Port : PortTo;

    /// <summary>The inbound's <c>allocate</c>; <see cref="PortAllocation.Always"/> when absent.</summary>
    public PortAllocation Allocate { get; init; } = PortAllocation.Always;
}
