using VMess.Streams.Buffers;
using VMess.Streams.Tests.Support;
using VMess.Testing;

namespace VMess.Streams.Tests.Buffers;

public sealed class ChunkAccumulatorTests
{
    private readonly CountingPool _pool = new();

    [Fact]
    public void Append_should_adopt_the_first_chunk_without_copying()
    {
        var accumulator = new ChunkAccumulator(_pool);
        var chunk = Chunk([1, 2, 3]);
        var rented = _pool.Rented;

        accumulator.Append(chunk);

        Assert.Equal(rented, _pool.Rented);
        Assert.True(accumulator.Span.Overlaps(chunk.Array), "the first chunk was copied");
    }

    [Fact]
    public void Span_should_join_a_frame_that_straddles_two_chunks()
    {
        var frame = Payloads.Random(300, seed: 1);
        var accumulator = new ChunkAccumulator(_pool);

        accumulator.Append(Chunk(frame[..120]));
        accumulator.Append(Chunk(frame[120..]));

        Assert.Equal(frame, accumulator.Span.ToArray());
    }

    [Fact]
    public void Span_should_join_chunks_when_the_unconsumed_rest_must_move_to_a_larger_buffer()
    {
        var bytes = Payloads.Random(10_000, seed: 2);
        var accumulator = new ChunkAccumulator(_pool);
        accumulator.Append(Chunk(bytes[..1000]));
        accumulator.Consume(900);

        accumulator.Append(Chunk(bytes[1000..]));

        Assert.Equal(bytes[900..], accumulator.Span.ToArray());
    }

    [Fact]
    public void Span_should_join_chunks_when_the_rest_moves_to_the_front_of_its_own_buffer()
    {
        var first = ByteChunk.Rent(_pool, 1024);
        var capacity = first.Capacity;
        var bytes = Payloads.Random(capacity + 100, seed: 3);
        bytes.AsSpan(0, capacity).CopyTo(first.Array);
        first.Length = capacity;
        var accumulator = new ChunkAccumulator(_pool);
        accumulator.Append(first);
        accumulator.Consume(capacity - 50);

        accumulator.Append(Chunk(bytes[capacity..]));

        Assert.Equal(bytes[(capacity - 50)..], accumulator.Span.ToArray());
        Assert.True(accumulator.Span.Overlaps(first.Array), "the rest left a buffer it still fitted in");
    }

    [Fact]
    public void Consume_should_return_the_buffer_to_its_pool_once_everything_is_consumed()
    {
        var accumulator = new ChunkAccumulator(_pool);
        accumulator.Append(Chunk([1, 2, 3]));
        accumulator.Append(Chunk([4, 5]));

        accumulator.Consume(5);

        Assert.Equal(0, accumulator.Count);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Append_should_return_an_empty_chunk_at_once()
    {
        var accumulator = new ChunkAccumulator(_pool);

        accumulator.Append(ByteChunk.Rent(_pool, 16));

        Assert.Equal(0, accumulator.Count);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Consume_should_refuse_more_than_is_buffered()
    {
        var accumulator = new ChunkAccumulator(_pool);
        accumulator.Append(Chunk([1, 2, 3]));

        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Consume(4));
    }

    [Fact]
    public void Accumulator_should_match_a_plain_byte_list_under_random_appends_and_consumes()
    {
        const int seed = 20240611;
        var random = new Random(seed);
        var model = new List<byte>();
        var accumulator = new ChunkAccumulator(_pool);
        for (var step = 0; step < 2000; step++)
        {
            if (random.Next(3) > 0)
            {
                var bytes = Payloads.Random(random.Next(4000), seed: step);
                accumulator.Append(Chunk(bytes));
                model.AddRange(bytes);
            }
            else
            {
                var count = random.Next(model.Count + 1);
                accumulator.Consume(count);
                model.RemoveRange(0, count);
            }
            Assert.True(model.SequenceEqual(accumulator.Span.ToArray()), $"seed {seed}, step {step}: contents differ");
        }

        accumulator.Clear();

        Assert.Equal(0, _pool.Outstanding);
        Assert.Equal(0, _pool.BadReturns);
    }

    private ByteChunk Chunk(byte[] bytes) => ByteChunk.CopyOf(_pool, bytes);
}
