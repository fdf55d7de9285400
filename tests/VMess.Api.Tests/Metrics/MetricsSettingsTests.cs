using VMess.Api.Metrics;

namespace VMess.Api.Tests.Metrics;

public sealed class MetricsSettingsTests
{
    [Fact]
    public void Settings_should_be_off_without_a_port()
    {
        var settings = new MetricsSettings();

        Assert.False(settings.Enabled);
        Assert.Empty(settings.Validate(new ApiHostSettings()));
    }

    [Fact]
    public void Settings_should_listen_on_loopback_by_default()
    {
        var settings = new MetricsSettings { Port = 9464 };

        Assert.True(settings.IsLoopbackOnly);
        Assert.Equal("127.0.0.1:9464", settings.EndPoint.ToString());
    }

    [Fact]
    public void Validate_should_require_the_api_token_off_loopback()
    {
        var errors = new MetricsSettings { Port = 9464, Address = "0.0.0.0" }.Validate(new ApiHostSettings());

        Assert.Contains(errors, e => e.Contains("VMess__Api__Token", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_should_accept_an_address_off_loopback_with_the_api_token()
    {
        var errors = new MetricsSettings { Port = 9464, Address = "0.0.0.0" }.Validate(new ApiHostSettings { Token = "secret" });

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_should_collect_a_bad_port_and_a_bad_address()
    {
        var errors = new MetricsSettings { Port = 70000, Address = "not-an-ip" }.Validate(new ApiHostSettings());

        Assert.Equal(2, errors.Count);
    }
}
