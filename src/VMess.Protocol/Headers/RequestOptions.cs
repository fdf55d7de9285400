namespace VMess.Protocol.Headers;

/// <summary>The option bits of the request header.</summary>
[Flags]
public enum RequestOptions : byte
{
    None = 0,
    /// <summary>S: the body is cut into length-prefixed chunks.</summary>
    ChunkStream = 0x01,
    /// <summary>Legacy connection reuse; V2Ray never acts on it.</summary>
    ConnectionReuse = 0x02,
    /// <summary>M: chunk lengths are XORed with a SHAKE128 stream seeded by the body IV.</summary>
    ChunkMasking = 0x04,
    /// <summary>P: each chunk carries 0–63 bytes of padding whose length comes from the SHAKE128 stream (needs M).</summary>
    GlobalPadding = 0x08,
    /// <summary>A: chunk lengths are AEAD-sealed (V2Ray 4.41+, not in 4.34).</summary>
    AuthenticatedLength = 0x10,
}
