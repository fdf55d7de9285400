using VMess.Protocol.Auth;

namespace VMess.Protocol.Tests.Auth;

public sealed class TimeWindowTests
{
    private const long Now = 1_700_000_000;

    [Theory]
    [InlineData(-120)]
    [InlineData(0)]
    [InlineData(120)]
    public void Contains_should_accept_offsets_up_to_120_seconds_inclusive(long offset)
    {
        Assert.True(TimeWindow.Contains(Now + offset, Now));
    }

    [Theory]
    [InlineData(-121)]
    [InlineData(121)]
    [InlineData(long.MinValue / 2)]
    public void Contains_should_refuse_offsets_beyond_120_seconds(long offset)
    {
        Assert.False(TimeWindow.Contains(Now + offset, Now));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(-1, 50)]
    [InlineData(long.MinValue, 0)]
    public void Contains_should_refuse_negative_timestamps(long timestamp, long now)
    {
        Assert.False(TimeWindow.Contains(timestamp, now));
    }
}
