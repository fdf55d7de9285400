using System.Buffers;
using VMess.Protocol.Addresses;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary><see cref="AddressCodec.Decode"/> on random and mutated encodings: typed statuses only.</summary>
public sealed class AddressCodecFuzzTests
{
    [Fact]
    public Task AddressCodec_should_return_typed_errors_for_random_bytes() =>
        Fuzz.CheckAsync(seed: 1_301, iterations: 10_000,
            random =>
            {
                var bytes = Mutate.RandomBytes(random, random.Next(AddressCodec.MaxEncodedLength + 40));
                // Mostly a known type, so the type-specific paths run on random contents.
                if (bytes.Length > 2 && random.Next(4) != 0) bytes[2] = (byte)(1 + random.Next(3));
                return bytes;
            },
            Decode);

    [Fact]
    public Task AddressCodec_should_return_typed_errors_for_mutated_addresses() =>
        Fuzz.CheckAsync(seed: 1_302, iterations: 10_000,
            random =>
            {
                var address = FuzzSamples.NewDestination(random);
                var encoded = new byte[AddressCodec.GetEncodedLength(address)];
                AddressCodec.Encode(address, encoded);
                return Mutate.Any(random, encoded);
            },
            Decode);

    [Fact]
    public Task AddressCodec_should_decode_a_valid_address_followed_by_more_bytes() =>
        Fuzz.CheckAsync(seed: 1_303, iterations: 10_000,
            random => (Address: FuzzSamples.NewDestination(random), Suffix: Mutate.RandomBytes(random, random.Next(64))),
            input =>
            {
                var encoded = new byte[AddressCodec.GetEncodedLength(input.Address)];
                AddressCodec.Encode(input.Address, encoded);
                Assert.Equal(OperationStatus.Done, AddressCodec.Decode(Mutate.Concat(encoded, input.Suffix), out var decoded, out var consumed, out _));
                Assert.Equal(encoded.Length, consumed);
                FuzzSamples.AssertSameDestination(input.Address, decoded);
            },
            input => input.Address.ToString());

    private static void Decode(byte[] input)
    {
        var status = AddressCodec.Decode(input, out var address, out var consumed, out var error);
        DecodeRule.Holds(status, consumed, error, input.Length);
        Assert.True((status == OperationStatus.Done) == (address is not null), $"{status} with address {address}");
    }
}
