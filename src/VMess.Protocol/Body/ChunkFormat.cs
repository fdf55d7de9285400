using VMess.Protocol.Headers;

namespace VMess.Protocol.Body;

internal enum ChunkKind : byte
{
    /// <summary>No chunks: bytes pass through (None) or through one CFB stream (Legacy).</summary>
    Raw,

    /// <summary>None + S on a stream: a 2-byte (optionally masked) length and the data; 0 ends the stream.</summary>
    PlainLength,

    /// <summary>V2Ray's AuthenticationReader/Writer: length | sealed data | padding; L = overhead + padding ends it.</summary>
    Authenticated,
}

/// <summary>The byte layout a <see cref="BodyFraming"/> resolves to.</summary>
internal readonly record struct ChunkFormat(
    ChunkKind Kind,
    SecurityType Security,
    int Overhead,
    int SizeBytes,
    bool Masked,
    bool Padded,
    bool AuthenticatedLength,
    bool IsPacket)
{
    public const int TagSize = 16;
    public const int FnvSize = 4;
    public const int PlainLengthSize = 2;
    public const int SealedLengthSize = 2 + TagSize;

    /// <summary>Padding is 0–63 bytes; V2Ray's writer reserves 64 when it sizes a chunk, and so do we.</summary>
    public const int PaddingReserve = 64;

    public bool UsesShake => Masked || Padded;

    public bool UsesCfb => Security == SecurityType.Legacy;

    public bool UsesAead => Security is SecurityType.Aes128Gcm or SecurityType.ChaCha20Poly1305;

    /// <summary>The most a chunk adds around its payload.</summary>
    public int MaxChunkExtra => SizeBytes + Overhead + (Padded ? PaddingReserve - 1 : 0);
}
