using System.Buffers;
using VMess.Protocol.Mux;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary><see cref="MuxFrameCodec.DecodeFrame"/> on random and mutated frames: typed statuses, data inside the frame.</summary>
public sealed class MuxFrameCodecFuzzTests
{
    [Fact]
    public Task MuxFrameCodec_should_return_typed_errors_for_random_bytes() =>
        Fuzz.CheckAsync(seed: 1_401, iterations: 10_000,
            random =>
            {
                var bytes = Mutate.RandomBytes(random, random.Next(601));
                // Mostly a plausible metaLen and status, so the metadata paths run on random contents.
                if (bytes.Length > 4 && random.Next(4) != 0)
                {
                    bytes[0] = 0;
                    bytes[1] = (byte)random.Next(MuxFrameCodec.MinMetadataLength, 64);
                    bytes[4] = (byte)(1 + random.Next(4));
                }
                return bytes;
            },
            Decode);

    [Fact]
    public Task MuxFrameCodec_should_return_typed_errors_for_mutated_frames() =>
        Fuzz.CheckAsync(seed: 1_402, iterations: 10_000, random => Mutate.Any(random, ValidFrame(random)), Decode);

    [Fact]
    public Task MuxFrameCodec_should_return_typed_errors_for_mutated_frame_sequences() =>
        Fuzz.CheckAsync(seed: 1_403, iterations: 3_000,
            random => Mutate.Any(random, [.. Enumerable.Range(0, 1 + random.Next(4)).SelectMany(_ => ValidFrame(random))]),
            input =>
            {
                // A reader loop: decode frames back to back until the input runs out or is refused.
                var offset = 0;
                OperationStatus status;
                do
                {
                    status = Decode(input.AsSpan(offset), out var consumed);
                    if (status == OperationStatus.Done) Assert.True(consumed > 0, "Done without consuming");
                    offset += consumed;
                }
                while (status == OperationStatus.Done);
            });

    private static byte[] ValidFrame(Random random)
    {
        var meta = FuzzSamples.NewMuxMetadata(random);
        var data = meta.HasData ? Mutate.RandomBytes(random, random.Next(300)) : [];
        var frame = new byte[MuxFrameCodec.GetEncodedLength(meta, data.Length)];
        MuxFrameCodec.EncodeFrame(meta, data, frame);
        return frame;
    }

    private static void Decode(byte[] input) => Decode(input, out _);

    private static OperationStatus Decode(ReadOnlySpan<byte> input, out int consumed)
    {
        var status = MuxFrameCodec.DecodeFrame(input, out var meta, out var dataOffset, out var dataLength, out consumed, out var error);
        DecodeRule.Holds(status, consumed, error, input.Length);
        if (status == OperationStatus.Done)
        {
            Assert.True(dataOffset >= 0 && dataLength >= 0 && dataOffset + dataLength <= consumed, $"data {dataOffset}+{dataLength} outside a {consumed}-byte frame");
            Assert.True(meta.Status != MuxSessionStatus.New || meta.Target is not null, "New frame without a target");
        }
        return status;
    }
}
