using System.Security.Cryptography;
using VMess.Protocol.Crypto;

namespace VMess.Protocol.Body;

/// <summary>
/// Builds the body codec of one direction. <c>keys</c> are that direction's body key/IV; <c>requestKeys</c> are the
/// request's, which option A needs in both directions (its length AEAD is keyed KDF16(requestKey, "auth_len") and
/// counts on the request IV). For the request direction pass the same keys twice.
/// </summary>
public static class ChunkCodecFactory
{
    /// <summary>V2Ray's <c>buf.Size</c>: its writer keeps every chunk within 2 KiB, which old peers may rely on.</summary>
    public const int DefaultMaxChunkSize = 2048;

    /// <summary>The length field is 16 bits; V2Ray's reader accepts any chunk up to that.</summary>
    public const int MaxChunkSize = ushort.MaxValue;

    public const int MinChunkSize = 128;

    /// <param name="maxChunkSize">The most bytes one chunk takes on the wire, length field included.</param>
    public static bool TryCreateEncoder(BodyFraming framing, BodyKeys keys, BodyKeys requestKeys, IRandomSource? padding,
        out ChunkEncoder? encoder, out DecodeError error, int maxChunkSize = DefaultMaxChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkSize, MinChunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxChunkSize, MaxChunkSize);
        encoder = null;
        error = framing.TryGetFormat(out var format);
        if (error != DecodeError.None) return false;
        if (format.Padded) ArgumentNullException.ThrowIfNull(padding);

        var parts = Parts.Create(format, keys, requestKeys);
        // Padding is drawn for every chunk; one CSPRNG call per chunk would cost more than the chunk's AEAD.
        var paddingSource = format.Padded ? new BufferedRandomSource(padding!) : null;
        encoder = new ChunkEncoder(format, maxChunkSize, parts.Aead, parts.LengthAead, parts.Shake, parts.Cfb, paddingSource);
        return true;
    }

    /// <param name="maxChunkLength">The largest length field accepted; more is <see cref="DecodeError.ChunkTooLarge"/>.</param>
    public static bool TryCreateDecoder(BodyFraming framing, BodyKeys keys, BodyKeys requestKeys,
        out ChunkDecoder? decoder, out DecodeError error, int maxChunkLength = MaxChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkLength, MinChunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxChunkLength, MaxChunkSize);
        decoder = null;
        error = framing.TryGetFormat(out var format);
        if (error != DecodeError.None) return false;

        var parts = Parts.Create(format, keys, requestKeys);
        decoder = new ChunkDecoder(format, maxChunkLength, parts.Aead, parts.LengthAead, parts.Shake, parts.Cfb);
        return true;
    }

    /// <summary>As <see cref="TryCreateEncoder"/>, throwing <see cref="ArgumentException"/> on an invalid framing.</summary>
    public static ChunkEncoder CreateEncoder(BodyFraming framing, BodyKeys keys, BodyKeys requestKeys, IRandomSource? padding,
        int maxChunkSize = DefaultMaxChunkSize) =>
        TryCreateEncoder(framing, keys, requestKeys, padding, out var encoder, out var error, maxChunkSize)
            ? encoder!
            : throw new ArgumentException(error.Describe(), nameof(framing));

    /// <summary>As <see cref="TryCreateDecoder"/>, throwing <see cref="ArgumentException"/> on an invalid framing.</summary>
    public static ChunkDecoder CreateDecoder(BodyFraming framing, BodyKeys keys, BodyKeys requestKeys,
        int maxChunkLength = MaxChunkSize) =>
        TryCreateDecoder(framing, keys, requestKeys, out var decoder, out var error, maxChunkLength)
            ? decoder!
            : throw new ArgumentException(error.Describe(), nameof(framing));

    private readonly record struct Parts(BodyAead? Aead, BodyAead? LengthAead, ShakeStream? Shake, AesCfb128? Cfb)
    {
        public static Parts Create(ChunkFormat format, BodyKeys keys, BodyKeys requestKeys)
        {
            if (keys.IsDefault) throw new ArgumentException("The body keys are not set.", nameof(keys));
            var aead = format.UsesAead ? BodyAead.Create(format.Security, keys.Key, keys.Iv) : null;
            BodyAead? lengthAead = null;
            if (format.AuthenticatedLength)
            {
                if (requestKeys.IsDefault) throw new ArgumentException("Option A needs the request keys.", nameof(requestKeys));
                Span<byte> lengthKey = stackalloc byte[16];
                Kdf.Derive16(requestKeys.Key, lengthKey, KdfSalts.AuthenticatedLength);
                lengthAead = BodyAead.Create(format.Security, lengthKey, requestKeys.Iv);
                CryptographicOperations.ZeroMemory(lengthKey);
            }
            var shake = format.Kind != ChunkKind.Raw && format.UsesShake ? new ShakeStream(keys.Iv) : null;
            var cfb = format.UsesCfb ? new AesCfb128(keys.Key, keys.Iv) : null;
            return new Parts(aead, lengthAead, shake, cfb);
        }
    }
}
