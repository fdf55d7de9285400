using VMess.Cluster.Host.Operator;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary><c>--quota SIZE</c>: bytes, or a number with a decimal (KB = 1000) or binary (KiB = 1024) unit; and sizes as printed.</summary>
public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("123456789", 123456789L)]
    [InlineData("500B", 500L)]
    [InlineData("1KB", 1_000L)]
    [InlineData("500MB", 500_000_000L)]
    [InlineData("10GB", 10_000_000_000L)]
    [InlineData("2TB", 2_000_000_000_000L)]
    [InlineData("1PB", 1_000_000_000_000_000L)]
    public void TryParse_should_read_bytes_and_decimal_units_as_powers_of_1000(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("1KiB", 1_024L)]
    [InlineData("500MiB", 524_288_000L)]
    [InlineData("10GiB", 10_737_418_240L)]
    [InlineData("2TiB", 2_199_023_255_552L)]
    [InlineData("1PiB", 1_125_899_906_842_624L)]
    public void TryParse_should_read_binary_units_as_powers_of_1024(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("10gib", 10_737_418_240L)]
    [InlineData("10 GiB", 10_737_418_240L)]
    [InlineData("1.5GiB", 1_610_612_736L)]
    [InlineData("0.5KB", 500L)]
    [InlineData("1.0005KB", 1_001L)]
    public void TryParse_should_take_any_case_a_space_and_a_fraction_rounded_to_a_byte(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GiB")]
    [InlineData("-1")]
    [InlineData("-1GB")]
    [InlineData("10G")]
    [InlineData("10 gigabytes")]
    [InlineData("1,5GB")]
    [InlineData("1e9")]
    [InlineData("9223372036854775808")]
    [InlineData("8192PiB")]
    [InlineData("99999999999999999999999999999999")]
    public void TryParse_should_refuse_what_is_not_a_size_that_fits_a_long(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0L, "0 bytes")]
    [InlineData(999L, "999 bytes")]
    [InlineData(1_000L, "1 KB")]
    [InlineData(10_737_418_240L, "10 GiB")]
    [InlineData(500_000_000L, "500 MB")]
    [InlineData(1_234_567L, "1.18 MiB")]
    [InlineData(1_536L, "1.5 KiB")]
    [InlineData(737_418_240L, "703.26 MiB")]
    [InlineData(2_000_000_000_000L, "2 TB")]
    public void Format_should_use_a_unit_that_holds_the_size_whole_below_1024_else_two_decimals_of_a_binary_one(long bytes, string text)
    {
        Assert.Equal(text, ByteSize.Format(bytes));
    }

    [Fact]
    public void Describe_should_add_the_exact_count_to_a_size_with_a_unit()
    {
        Assert.Equal("10 GiB (10737418240 bytes)", ByteSize.Describe(10_737_418_240));
        Assert.Equal("512 bytes", ByteSize.Describe(512));
    }
}
