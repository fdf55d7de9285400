using System.Buffers;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary>
/// <see cref="ChunkDecoder"/> on random and mutated chunk streams, for every security and option combination, read
/// the way a connection reads: input arriving in random pieces, random destination sizes. Every call returns a typed
/// status, never writes more than the destination, and the reader always makes progress.
/// </summary>
public sealed class ChunkDecoderFuzzTests
{
    private const RequestOptions S = RequestOptions.ChunkStream;
    private const RequestOptions R = RequestOptions.ConnectionReuse;
    private const RequestOptions M = RequestOptions.ChunkMasking;
    private const RequestOptions P = RequestOptions.GlobalPadding;
    private const RequestOptions A = RequestOptions.AuthenticatedLength;

    private static readonly RequestCommand[] Commands = [RequestCommand.Tcp, RequestCommand.Udp, RequestCommand.Mux];

    public static TheoryData<SecurityType, RequestOptions> Framings()
    {
        var data = new TheoryData<SecurityType, RequestOptions>();
        foreach (var security in FuzzSamples.WireSecurities)
        foreach (var options in new[] { RequestOptions.None, S, S | M, S | M | P, S | A, S | M | A, S | M | P | A, S | R | M, M | P | A })
        {
            data.Add(security, options);
        }
        return data;
    }

    [Theory, MemberData(nameof(Framings))]
    public Task ChunkDecoder_should_return_typed_errors_for_mutated_chunk_streams(SecurityType security, RequestOptions options) =>
        Fuzz.CheckAsync(seed: Seed(2_000, security, options), iterations: 300,
            random =>
            {
                var body = ValidBody(random, security, options);
                return body with { Stream = Mutate.Any(random, body.Stream) };
            },
            body => Read(body),
            Print);

    [Theory, MemberData(nameof(Framings))]
    public Task ChunkDecoder_should_return_typed_errors_for_random_chunk_streams(SecurityType security, RequestOptions options) =>
        Fuzz.CheckAsync(seed: Seed(3_000, security, options), iterations: 150,
            random => ValidBody(random, security, options) with { Stream = Mutate.RandomBytes(random, random.Next(3_000)) },
            body => Read(body),
            Print);

    [Theory, MemberData(nameof(Framings))]
    public Task ChunkDecoder_should_decode_valid_chunk_streams_read_in_random_pieces(SecurityType security, RequestOptions options) =>
        Fuzz.CheckAsync(seed: Seed(4_000, security, options), iterations: 60,
            random => ValidBody(random, security, options),
            body =>
            {
                var (payload, ended) = Read(body);
                Assert.Equal(body.Payload, payload);
                Assert.Equal(body.Chunked, ended);
            },
            Print);

    /// <summary>One direction's body: the framing, its keys, what was written and the bytes on the wire.</summary>
    internal sealed record Body(BodyFraming Framing, bool Response, byte[] RequestKey, byte[] RequestIv, byte[] Key, byte[] Iv,
        int MaxChunkLength, bool Chunked, byte[] Payload, byte[] Stream, int ReadSeed);

    private static int Seed(int baseSeed, SecurityType security, RequestOptions options) => baseSeed + (int)security * 64 + (int)options;

    /// <summary>A valid body for a random command and direction: a few writes (datagrams for UDP), then end of stream.</summary>
    private static Body ValidBody(Random random, SecurityType security, RequestOptions options)
    {
        var framing = new BodyFraming(security, options, Commands[random.Next(Commands.Length)]);
        var response = random.Next(2) == 0;
        var requestKey = Mutate.RandomBytes(random, BodyKeys.Size);
        var requestIv = Mutate.RandomBytes(random, BodyKeys.Size);
        var (key, iv) = response ? (Mutate.RandomBytes(random, BodyKeys.Size), Mutate.RandomBytes(random, BodyKeys.Size)) : (requestKey, requestIv);
        var maxChunkSize = random.Next(2) == 0 ? ChunkCodecFactory.DefaultMaxChunkSize : random.Next(ChunkCodecFactory.MinChunkSize, 4_096);

        using var encoder = ChunkCodecFactory.CreateEncoder(framing, new BodyKeys(key, iv), new BodyKeys(requestKey, requestIv),
            new SeededRandomSource(random), maxChunkSize);
        var payload = new List<byte>();
        var stream = new List<byte>();
        for (var writes = random.Next(5); writes > 0; writes--)
        {
            var data = Mutate.RandomBytes(random, random.Next(encoder.IsPacket ? Math.Min(encoder.MaxPayloadPerChunk, 1_500) + 1 : 3_000));
            var buffer = new byte[encoder.GetMaxEncodedLength(data.Length)];
            stream.AddRange(buffer.AsSpan(0, encoder.IsPacket ? encoder.EncodePacket(data, buffer) : encoder.Encode(data, buffer)));
            payload.AddRange(data);
        }
        var end = new byte[encoder.MaxEndOfStreamLength];
        stream.AddRange(end.AsSpan(0, encoder.EncodeEndOfStream(end)));

        // Mostly the largest length field; sometimes the encoder's own limit, so that bigger lengths are refused.
        var maxChunkLength = random.Next(4) == 0 ? maxChunkSize : ChunkCodecFactory.MaxChunkSize;
        return new Body(framing, response, requestKey, requestIv, key, iv, maxChunkLength, encoder.IsChunked, [.. payload], [.. stream], random.Next());
    }

    /// <summary>
    /// Reads the stream as a connection does: bytes arrive in random pieces, each call gets a random destination,
    /// unconsumed bytes stay for the next call. Checks the rule on every call; returns the payload and whether the
    /// end-of-stream chunk was read.
    /// </summary>
    private static (byte[] Payload, bool Ended) Read(Body body)
    {
        var random = new Random(body.ReadSeed);
        using var decoder = ChunkCodecFactory.CreateDecoder(body.Framing, new BodyKeys(body.Key, body.Iv),
            new BodyKeys(body.RequestKey, body.RequestIv), body.MaxChunkLength);
        // A destination this large always fits the next chunk (an unchunked body: any non-empty one).
        var fits = Math.Max(1, decoder.MaxChunkPayloadLength);
        var destinationBuffer = new byte[Math.Max(fits, 4_096)];
        var output = new List<byte>();
        byte[] pending = [];
        var fed = 0;
        var forceFit = false;
        for (var calls = 0; ; calls++)
        {
            Assert.True(calls <= 4 * body.Stream.Length + 64, $"no progress after {calls} calls");
            var destination = destinationBuffer.AsSpan(0, forceFit ? fits : DestinationSize(random, fits));
            forceFit = false;
            var status = decoder.Decode(pending, destination, out var consumed, out var written, out var ended, out var error);

            DecodeRule.Holds(status, consumed, error, pending.Length, allowDestinationTooSmall: true);
            Assert.True(written >= 0 && written <= destination.Length, $"{status}: wrote {written} into {destination.Length} bytes");
            // InvalidData may come with the chunks before the bad one, decoded in the same call.
            Assert.True(status is OperationStatus.Done or OperationStatus.InvalidData || written == 0, $"{status} wrote {written} bytes");
            Assert.True(consumed >= 0 && consumed <= pending.Length, $"{status} consumed {consumed} of {pending.Length} bytes");
            Assert.True(status != OperationStatus.Done || consumed > 0 || ended, "Done without progress");
            Assert.True(status != OperationStatus.DestinationTooSmall || destination.Length < fits,
                $"DestinationTooSmall for {destination.Length} bytes, at least {fits} always fit");
            output.AddRange(destination[..written]);
            pending = pending[consumed..];

            switch (status)
            {
                case OperationStatus.InvalidData:
                    // It stays failed.
                    Assert.Equal(OperationStatus.InvalidData, decoder.Decode(pending, destinationBuffer, out consumed, out written, out _, out var again));
                    Assert.Equal((0, 0, error), (consumed, written, again));
                    return ([.. output], false);
                case OperationStatus.DestinationTooSmall:
                    forceFit = true;
                    continue;
                case OperationStatus.Done when ended:
                    return ([.. output], true);
                case OperationStatus.Done when random.Next(2) == 0:
                    continue;
            }
            if (fed == body.Stream.Length)
            {
                if (status == OperationStatus.NeedMoreData) return ([.. output], false);
                continue;
            }
            var take = 1 + random.Next(Math.Min(body.Stream.Length - fed, random.Next(2) == 0 ? 64 : 4_096));
            pending = [.. pending, .. body.Stream.AsSpan(fed, take)];
            fed += take;
        }
    }

    private static int DestinationSize(Random random, int fits) => random.Next(4) switch
    {
        0 => 1 + random.Next(32),
        1 => 1 + random.Next(fits),
        2 => fits,
        _ => 1 + random.Next(Math.Max(fits, 4_096)),
    };

    private static string Print(Body body) =>
        $"{body.Framing} response {body.Response} maxChunkLength {body.MaxChunkLength} read seed {body.ReadSeed} " +
        $"key {Convert.ToHexString(body.Key)} iv {Convert.ToHexString(body.Iv)} request {Convert.ToHexString(body.RequestKey)}/{Convert.ToHexString(body.RequestIv)} " +
        $"payload {body.Payload.Length} bytes, stream {Convert.ToHexString(body.Stream)}";
}
