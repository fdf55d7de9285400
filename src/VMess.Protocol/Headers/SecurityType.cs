namespace VMess.Protocol.Headers;

/// <summary>The body security nibble of the request header (V2Ray's <c>protocol.SecurityType</c>).</summary>
public enum SecurityType : byte
{
    Unknown = 0,
    /// <summary>AES-128-CFB body; V2Ray reads 0 as legacy too, for backward compatibility.</summary>
    Legacy = 1,
    /// <summary>Only ever resolved on the client; a server refuses it on the wire.</summary>
    Auto = 2,
    Aes128Gcm = 3,
    ChaCha20Poly1305 = 4,
    None = 5,
}
