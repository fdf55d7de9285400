using System.Net;
using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class HttpInboundValidatorTests
{
    private static ConfigLoadResult LoadHttp(string settingsJson) =>
        Samples.LoadInbound($$"""{ "port": 8080, "protocol": "http", "settings": {{settingsJson}} }""");

    private static HttpInboundSettings LoadSettings(string settingsJson) =>
        Assert.Single(Samples.Valid(LoadHttp(settingsJson)).Inbounds).Http!;

    [Fact]
    public void Validate_should_read_an_http_inbound_without_settings_with_V2Ray_defaults()
    {
        var inbound = Assert.Single(Samples.Valid(Samples.LoadInbound("""{ "port": 8080, "protocol": "http" }""")).Inbounds);

        Assert.Equal(new InboundOptions(null, IPAddress.Any, 8080, InboundProtocol.Http, VMess: null,
            Http: new HttpInboundSettings([], AllowTransparent: false, TimeSpan.Zero, UserLevel: 0)), inbound);
    }

    [Fact]
    public void Validate_should_read_every_setting()
    {
        var settings = LoadSettings("""
            { "accounts": [ { "user": "alice", "pass": "secret" } ], "allowTransparent": true, "timeout": 30, "userLevel": 0 }
            """);

        Assert.Equal(new HttpInboundSettings([new ProxyAccount("alice", "secret")], true, TimeSpan.FromSeconds(30), 0), settings);
    }

    [Fact]
    public void Validate_should_ignore_the_timeout_with_a_warning_when_the_user_level_is_not_0_as_V2Ray_does()
    {
        var result = LoadHttp("""{ "timeout": 30, "userLevel": 1 }""");

        Assert.Equal(TimeSpan.Zero, Assert.Single(Samples.Valid(result).Inbounds).Http!.Timeout);
        Assert.Equal("inbounds[0].settings.timeout", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_report_a_negative_timeout()
    {
        Samples.SingleError(LoadHttp("""{ "timeout": -1 }"""), "inbounds[0].settings.timeout");
    }

    [Fact]
    public void Validate_should_report_an_allowTransparent_that_is_not_a_boolean()
    {
        var error = Samples.SingleError(LoadHttp("""{ "allowTransparent": "yes" }"""), "inbounds[0].settings.allowTransparent");

        Assert.Equal("expected true or false, got the string \"yes\"", error.Message);
    }
}
