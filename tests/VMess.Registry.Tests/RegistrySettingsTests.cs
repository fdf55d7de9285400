namespace VMess.Registry.Tests;

public sealed class RegistrySettingsTests
{
    [Fact]
    public void Default_should_be_valid_with_128_buckets()
    {
        Assert.Empty(RegistrySettings.Default.Validate());
        Assert.Equal(128, RegistrySettings.Default.BucketCount);
    }

    [Theory, InlineData(63), InlineData(257), InlineData(0)]
    public void Validate_should_reject_a_bucket_count_outside_64_to_256(int buckets)
    {
        var error = Assert.Single((RegistrySettings.Default with { BucketCount = buckets }).Validate());
        Assert.Contains("BucketCount", error);
    }

    [Fact]
    public void Validate_should_collect_every_error()
    {
        var settings = new RegistrySettings { BucketCount = 1, ShardCount = 0, MajorityWriteTimeout = TimeSpan.Zero };
        Assert.Equal(3, settings.Validate().Count);
    }
}
