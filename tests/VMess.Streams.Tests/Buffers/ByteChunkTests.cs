using VMess.Streams.Buffers;
using VMess.Streams.Tests.Support;

namespace VMess.Streams.Tests.Buffers;

public sealed class ByteChunkTests
{
    private readonly CountingPool _pool = new();

    [Fact]
    public void CopyOf_should_hold_exactly_the_bytes_given()
    {
        using var chunk = ByteChunk.CopyOf(_pool, [7, 8, 9]);

        Assert.Equal(new byte[] { 7, 8, 9 }, chunk.Span.ToArray());
        Assert.True(chunk.Capacity >= 3);
    }

    [Fact]
    public void Dispose_should_return_the_array_to_its_pool_exactly_once()
    {
        var chunk = ByteChunk.Rent(_pool, 100);

        chunk.Dispose();
        chunk.Dispose();

        Assert.Equal(0, _pool.Outstanding);
        Assert.Equal(0, _pool.BadReturns);
    }

    [Fact]
    public void Array_should_throw_after_dispose()
    {
        var chunk = ByteChunk.Rent(_pool, 100);

        chunk.Dispose();

        Assert.Throws<ObjectDisposedException>(() => chunk.Array);
    }
}
