using VMess.Protocol.Body;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Tests.Body;

/// <summary>Keys, framings and helpers shared by the body codec tests.</summary>
internal static class BodyTestData
{
    public static readonly byte[] RequestKey = Enumerable.Range(0x00, 16).Select(i => (byte)i).ToArray();
    public static readonly byte[] RequestIv = Enumerable.Range(0x10, 16).Select(i => (byte)i).ToArray();
    public static readonly byte[] ResponseKey = Enumerable.Range(0x20, 16).Select(i => (byte)i).ToArray();
    public static readonly byte[] ResponseIv = Enumerable.Range(0x30, 16).Select(i => (byte)i).ToArray();

    public static BodyKeys Request => new(RequestKey, RequestIv);
    public static BodyKeys Response => new(ResponseKey, ResponseIv);

    public const RequestOptions S = RequestOptions.ChunkStream;
    public const RequestOptions M = RequestOptions.ChunkMasking;
    public const RequestOptions P = RequestOptions.GlobalPadding;
    public const RequestOptions A = RequestOptions.AuthenticatedLength;

    public static readonly SecurityType[] Securities =
        [SecurityType.None, SecurityType.Legacy, SecurityType.Aes128Gcm, SecurityType.ChaCha20Poly1305];

    public static readonly RequestOptions[] OptionSets =
        [RequestOptions.None, S, S | M, S | M | P, S | M | A, S | M | P | A];

    public static readonly SecurityType[] AeadSecurities = [SecurityType.Aes128Gcm, SecurityType.ChaCha20Poly1305];

    /// <summary>Every security x option set x command, and whether the codec is built for the response direction.</summary>
    public static TheoryData<SecurityType, RequestOptions, RequestCommand, bool> AllFramings()
    {
        var data = new TheoryData<SecurityType, RequestOptions, RequestCommand, bool>();
        foreach (var security in Securities)
        foreach (var options in OptionSets)
        foreach (var command in new[] { RequestCommand.Tcp, RequestCommand.Udp })
        {
            data.Add(security, options, command, options.HasFlag(A));
        }
        return data;
    }

    /// <summary>Chunked framings only (every AEAD security, None and Legacy with S), stream and packet.</summary>
    public static TheoryData<SecurityType, RequestOptions, RequestCommand, bool> ChunkedFramings()
    {
        var data = new TheoryData<SecurityType, RequestOptions, RequestCommand, bool>();
        foreach (var security in Securities)
        foreach (var options in OptionSets)
        foreach (var command in new[] { RequestCommand.Tcp, RequestCommand.Udp })
        {
            if (options.HasFlag(S) || AeadSecurities.Contains(security)) data.Add(security, options, command, options.HasFlag(A));
        }
        return data;
    }

    public static TheoryData<SecurityType, RequestOptions> AeadOptionSets()
    {
        var data = new TheoryData<SecurityType, RequestOptions>();
        foreach (var security in AeadSecurities)
        foreach (var options in OptionSets)
        {
            data.Add(security, options);
        }
        return data;
    }

    public static (ChunkEncoder Encoder, ChunkDecoder Decoder) Pair(BodyFraming framing, bool response,
        IRandomSource? padding = null, int maxChunkSize = ChunkCodecFactory.DefaultMaxChunkSize)
    {
        var keys = response ? Response : Request;
        return (ChunkCodecFactory.CreateEncoder(framing, keys, Request, padding ?? new SeededPaddingSource(1), maxChunkSize),
            ChunkCodecFactory.CreateDecoder(framing, keys, Request));
    }

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static byte[] EncodeStream(ChunkEncoder encoder, IEnumerable<byte[]> writes, bool end = true)
    {
        var output = new List<byte>();
        foreach (var write in writes)
        {
            var buffer = new byte[encoder.GetMaxEncodedLength(write.Length)];
            var n = encoder.IsPacket ? encoder.EncodePacket(write, buffer) : encoder.Encode(write, buffer);
            output.AddRange(buffer.AsSpan(0, n));
        }
        if (end)
        {
            var eos = new byte[encoder.MaxEndOfStreamLength];
            output.AddRange(eos.AsSpan(0, encoder.EncodeEndOfStream(eos)));
        }
        return output.ToArray();
    }
}

/// <summary>Deterministic padding bytes for tests.</summary>
internal sealed class SeededPaddingSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}

/// <summary>Padding of one constant byte, for known-answer vectors.</summary>
internal sealed class ConstantPaddingSource(byte value) : IRandomSource
{
    public void Fill(Span<byte> destination) => destination.Fill(value);

    public int Next(int maxExclusive) => value % maxExclusive;
}
