using VMess.Cluster.Host.Operator;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary><c>--expires WHEN</c>: an ISO-8601 date or time (UTC without an offset), a time from now, or never; and expiries as printed.</summary>
public sealed class ExpiryTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2027-01-01", "2027-01-01T00:00:00Z")]
    [InlineData("2027-01-01T08:30", "2027-01-01T08:30:00Z")]
    [InlineData("2027-01-01T08:30:15", "2027-01-01T08:30:15Z")]
    [InlineData("2027-01-01 08:30:15", "2027-01-01T08:30:15Z")]
    [InlineData("2027-01-01T08:30:15.250Z", "2027-01-01T08:30:15.25Z")]
    public void TryParse_should_read_an_ISO_date_or_time_without_an_offset_as_UTC(string text, string utc)
    {
        Assert.True(ExpiryTime.TryParse(text, Now, out var unixMs));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), unixMs);
    }

    [Fact]
    public void TryParse_should_apply_the_offset_an_ISO_time_names()
    {
        Assert.True(ExpiryTime.TryParse("2027-01-01T12:00:00+02:00", Now, out var unixMs));
        Assert.Equal("2027-01-01T10:00:00Z", ExpiryTime.Format(unixMs));
    }

    [Theory]
    [InlineData("30d", 30 * 24 * 3600)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("45s", 45)]
    [InlineData("2w", 14 * 24 * 3600)]
    [InlineData("1d12h", 36 * 3600)]
    public void TryParse_should_count_a_relative_time_from_now(string text, long seconds)
    {
        Assert.True(ExpiryTime.TryParse(text, Now, out var unixMs));
        Assert.Equal(Now.ToUnixTimeMilliseconds() + seconds * 1000, unixMs);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("Never")]
    [InlineData("0")]
    public void TryParse_should_read_never_and_0_as_no_expiry(string text)
    {
        Assert.True(ExpiryTime.TryParse(text, Now, out var unixMs));
        Assert.Equal(0, unixMs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tomorrow")]
    [InlineData("30")]
    [InlineData("30D")]
    [InlineData("-30d")]
    [InlineData("30 days")]
    [InlineData("01/02/2027")]
    [InlineData("2027-13-01")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("1969-12-31")]
    [InlineData("99999999999999d")]
    [InlineData("9999999999999999999999w")]
    public void TryParse_should_refuse_anything_else_and_times_not_after_1970(string text)
    {
        Assert.False(ExpiryTime.TryParse(text, Now, out _));
    }

    [Theory]
    [InlineData(0L, "never")]
    [InlineData(1_798_761_600_000L, "2027-01-01T00:00:00Z")]
    [InlineData(1_798_761_600_123L, "2027-01-01T00:00:00.123Z")]
    [InlineData(-5L, "unix ms -5")]
    [InlineData(long.MaxValue, "unix ms 9223372036854775807")]
    public void Format_should_print_UTC_in_ISO_form_or_never(long unixMs, string text)
    {
        Assert.Equal(text, ExpiryTime.Format(unixMs));
    }
}
