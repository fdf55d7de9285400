using System.Buffers;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary><see cref="RequestHeaderCodec.Decode"/> on random and mutated plaintext headers: typed statuses only.</summary>
public sealed class RequestHeaderCodecFuzzTests
{
    [Fact]
    public Task RequestHeaderCodec_should_return_typed_errors_for_random_bytes() =>
        Fuzz.CheckAsync(seed: 1_101, iterations: 10_000,
            random => Mutate.RandomBytes(random, random.Next(RequestHeaderCodec.MaxEncodedLength + 40)),
            Decode);

    [Fact]
    public Task RequestHeaderCodec_should_return_typed_errors_for_mutated_headers() =>
        Fuzz.CheckAsync(seed: 1_102, iterations: 10_000, ServerHandshakeDecoderFuzzTests.MalformedPlainHeader, Decode);

    [Fact]
    public Task RequestHeaderCodec_should_decode_a_valid_header_followed_by_more_bytes() =>
        Fuzz.CheckAsync(seed: 1_103, iterations: 5_000,
            random => (Header: FuzzSamples.NewRequestHeader(random), Random: random),
            input =>
            {
                var encoded = FuzzSamples.EncodedRequestHeader(input.Random, input.Header);
                var source = Mutate.Concat(encoded, Mutate.RandomBytes(input.Random, input.Random.Next(64)));
                Assert.Equal(OperationStatus.Done, RequestHeaderCodec.Decode(source, out var header, out var consumed, out _));
                Assert.Equal(encoded.Length, consumed);
                Assert.Equal(input.Header with { Destination = header!.Destination, BodyKey = header.BodyKey, BodyIv = header.BodyIv }, header);
                Assert.Equal(input.Header.BodyKey, header.BodyKey);
                Assert.Equal(input.Header.BodyIv, header.BodyIv);
                FuzzSamples.AssertSameDestination(input.Header.Destination, header.Destination);
            },
            input => $"{input.Header} to {input.Header.Destination}");

    private static void Decode(byte[] input)
    {
        var status = RequestHeaderCodec.Decode(input, out var header, out var consumed, out var error);
        DecodeRule.Holds(status, consumed, error, input.Length);
        Assert.True((status == OperationStatus.Done) == (header is not null), $"{status} with header {header}");
    }
}
