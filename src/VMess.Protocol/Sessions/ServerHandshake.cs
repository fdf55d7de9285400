using VMess.Protocol.Auth;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Sessions;

/// <summary>An accepted request: who sent it, what it asks for, and the keys of both body directions.</summary>
public sealed class ServerHandshake
{
    public ServerHandshake(UserKeys user, RequestHeader header, bool isAead, long timestamp)
    {
        User = user;
        Header = header;
        IsAead = isAead;
        Timestamp = timestamp;
        ResponseKey = ResponseKeys.Derive(header.BodyKey, isAead);
        ResponseIv = ResponseKeys.Derive(header.BodyIv, isAead);
    }

    public UserKeys User { get; }
    public RequestHeader Header { get; }
    public bool IsAead { get; }
    public long Timestamp { get; }
    public byte[] ResponseKey { get; }
    public byte[] ResponseIv { get; }
}
