using VMess.Protocol.Body;
using VMess.Protocol.Headers;

namespace VMess.Benchmarks.Body;

/// <summary>What the chunk benchmarks share: one stream framing per security, fixed keys, a seeded payload.</summary>
internal static class ChunkBenchmarkData
{
    /// <summary>
    /// Chunk stream + length masking (S|M), no global padding, so every chunk of a size has one length. Option P
    /// would add a padding fill per chunk; option A a second AEAD seal/open of the 2-byte length.
    /// </summary>
    public const RequestOptions Options = RequestOptions.ChunkStream | RequestOptions.ChunkMasking;

    public static BodyFraming Framing(SecurityType security) => new(security, Options, RequestCommand.Tcp);

    public static BodyKeys Keys()
    {
        var random = new Random(20240604);
        var key = new byte[BodyKeys.Size];
        var iv = new byte[BodyKeys.Size];
        random.NextBytes(key);
        random.NextBytes(iv);
        return new BodyKeys(key, iv);
    }

    public static byte[] Payload(int size)
    {
        var payload = new byte[size];
        new Random(20240605).NextBytes(payload);
        return payload;
    }

    /// <summary>An encoder that puts the whole payload in one chunk (V2Ray's writer would cut at 2 KiB).</summary>
    public static ChunkEncoder Encoder(SecurityType security, BodyKeys keys) =>
        ChunkCodecFactory.CreateEncoder(Framing(security), keys, keys, padding: null, ChunkCodecFactory.MaxChunkSize);

    public static ChunkDecoder Decoder(SecurityType security, BodyKeys keys) =>
        ChunkCodecFactory.CreateDecoder(Framing(security), keys, keys);
}
