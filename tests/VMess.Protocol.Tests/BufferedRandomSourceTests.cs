namespace VMess.Protocol.Tests;

public sealed class BufferedRandomSourceTests
{
    [Fact]
    public void Fill_should_serve_many_small_requests_from_one_call_to_the_inner_source()
    {
        var inner = new CountingSource();
        var buffered = new BufferedRandomSource(inner);
        Span<byte> padding = stackalloc byte[63];

        for (var i = 0; i < BufferedRandomSource.BufferSize / 63; i++) buffered.Fill(padding);

        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public void Fill_should_hand_out_each_buffered_byte_once()
    {
        var buffered = new BufferedRandomSource(new CountingSource());
        var first = new byte[40];
        var second = new byte[40];

        buffered.Fill(first);
        buffered.Fill(second);

        // The counting source writes 0, 1, 2, ... so consecutive requests continue the sequence.
        Assert.Equal(Enumerable.Range(0, 80).Select(i => (byte)i), first.Concat(second));
    }

    [Fact]
    public void Fill_should_pass_large_requests_straight_to_the_inner_source()
    {
        var inner = new CountingSource();
        var buffered = new BufferedRandomSource(inner);

        buffered.Fill(new byte[BufferedRandomSource.BufferSize]);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(BufferedRandomSource.BufferSize, inner.BytesServed);
    }

    private sealed class CountingSource : IRandomSource
    {
        private byte _next;

        public int Calls { get; private set; }

        public int BytesServed { get; private set; }

        public void Fill(Span<byte> destination)
        {
            Calls++;
            BytesServed += destination.Length;
            for (var i = 0; i < destination.Length; i++) destination[i] = _next++;
        }

        public int Next(int maxExclusive) => 0;
    }
}
