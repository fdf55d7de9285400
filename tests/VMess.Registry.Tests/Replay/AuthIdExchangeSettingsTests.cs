using VMess.Registry.Replay;

namespace VMess.Registry.Tests.Replay;

public sealed class AuthIdExchangeSettingsTests
{
    [Fact]
    public void Default_should_be_valid_with_a_10_ms_window_and_4096_ids_per_message()
    {
        Assert.Empty(AuthIdExchangeSettings.Default.Validate());
        Assert.Equal((TimeSpan.FromMilliseconds(10), 4096), (AuthIdExchangeSettings.Default.BatchWindow, AuthIdExchangeSettings.Default.MaxIdsPerMessage));
    }

    [Fact]
    public void A_zero_batch_window_should_be_valid()
    {
        Assert.Empty((AuthIdExchangeSettings.Default with { BatchWindow = TimeSpan.Zero }).Validate());
    }

    [Fact]
    public void Validate_should_collect_every_error()
    {
        var settings = new AuthIdExchangeSettings { BatchWindow = TimeSpan.FromSeconds(2), MaxIdsPerMessage = 4097, MaxPendingIds = 0 };

        var errors = settings.Validate();

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("BatchWindow", StringComparison.Ordinal));
    }
}
