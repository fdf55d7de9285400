namespace VMess.Protocol.Headers;

/// <summary>The decrypted response header: the echoed response byte, options, and an optional command.</summary>
public sealed record ResponseHeader(byte ResponseAuth, byte Options = 0, SwitchAccountCommand? Command = null);
