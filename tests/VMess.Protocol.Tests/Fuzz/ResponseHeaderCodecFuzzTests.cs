using System.Buffers;
using System.Buffers.Binary;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary><see cref="ResponseHeaderCodec.Decode"/> on random and mutated plaintext response headers: typed statuses only.</summary>
public sealed class ResponseHeaderCodecFuzzTests
{
    [Fact]
    public Task ResponseHeaderCodec_should_return_typed_errors_for_random_bytes() =>
        Fuzz.CheckAsync(seed: 1_201, iterations: 10_000,
            random => Mutate.RandomBytes(random, random.Next(ResponseHeaderCodec.MaxEncodedLength + 40)),
            Decode);

    [Fact]
    public Task ResponseHeaderCodec_should_return_typed_errors_for_mutated_headers() =>
        Fuzz.CheckAsync(seed: 1_202, iterations: 10_000, MalformedPlainHeader, Decode);

    /// <summary>A valid header, mutated; when it keeps a command, half the time with the command checksum redone.</summary>
    internal static byte[] MalformedPlainHeader(Random random)
    {
        var header = FuzzSamples.NewResponseHeader(random);
        var plain = new byte[ResponseHeaderCodec.GetEncodedLength(header)];
        ResponseHeaderCodec.Encode(header, plain);
        plain = Mutate.Any(random, plain);
        if (random.Next(2) == 0 && plain.Length > ResponseHeaderCodec.FixedSize + 4)
        {
            var end = Math.Min(plain.Length, ResponseHeaderCodec.FixedSize + plain[3]);
            if (end > ResponseHeaderCodec.FixedSize + 4)
            {
                BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(ResponseHeaderCodec.FixedSize), Fnv1a.Hash(plain.AsSpan(ResponseHeaderCodec.FixedSize + 4, end - ResponseHeaderCodec.FixedSize - 4)));
            }
        }
        return plain;
    }

    private static void Decode(byte[] input)
    {
        var status = ResponseHeaderCodec.Decode(input, out var header, out var consumed, out var commandError);
        // Done may carry a command error: the command is dropped, the response stands.
        DecodeRule.Holds(status, consumed, commandError, input.Length);
        Assert.True((status == OperationStatus.Done) == (header is not null), $"{status} with header {header}");
        if (commandError != DecodeError.None) Assert.Null(header!.Command);
    }
}
