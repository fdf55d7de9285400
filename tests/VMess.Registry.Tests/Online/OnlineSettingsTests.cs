using VMess.Registry.Online;

namespace VMess.Registry.Tests.Online;

public sealed class OnlineSettingsTests
{
    [Fact]
    public void Default_settings_should_be_valid_and_publish_every_second()
    {
        Assert.Empty(OnlineSettings.Default.Validate());
        Assert.Equal(TimeSpan.FromSeconds(1), OnlineSettings.Default.PublishInterval);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(61_000)]
    public void A_publish_interval_out_of_range_should_be_an_error_naming_it(int milliseconds)
    {
        var error = Assert.Single(new OnlineSettings { PublishInterval = TimeSpan.FromMilliseconds(milliseconds) }.Validate());
        Assert.StartsWith("PublishInterval must be within", error);
    }
}
