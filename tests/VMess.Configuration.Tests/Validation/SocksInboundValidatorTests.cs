using System.Net;
using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class SocksInboundValidatorTests
{
    private static ConfigLoadResult LoadSocks(string settingsJson) =>
        Samples.LoadInbound($$"""{ "port": 1080, "protocol": "socks", "settings": {{settingsJson}} }""");

    private static SocksInboundSettings LoadSettings(string settingsJson) =>
        Assert.Single(Samples.Valid(LoadSocks(settingsJson)).Inbounds).Socks!;

    [Fact]
    public void Validate_should_read_a_socks_inbound_without_settings_with_V2Ray_defaults()
    {
        var inbound = Assert.Single(Samples.Valid(Samples.LoadInbound("""{ "port": 1080, "protocol": "socks" }""")).Inbounds);

        Assert.Equal(new InboundOptions(null, IPAddress.Any, 1080, InboundProtocol.Socks, VMess: null,
            Socks: new SocksInboundSettings(SocksAuth.NoAuth, [], Udp: false, Ip: null, UserLevel: 0)), inbound);
    }

    [Fact]
    public void Validate_should_read_password_auth_with_its_accounts()
    {
        var settings = LoadSettings("""{ "auth": "password", "accounts": [ { "user": "alice", "pass": "secret" } ] }""");

        Assert.Equal(new SocksInboundSettings(SocksAuth.Password, [new ProxyAccount("alice", "secret")], false, null, 0), settings);
    }

    [Fact]
    public void Validate_should_report_password_auth_without_accounts()
    {
        var error = Samples.SingleError(LoadSocks("""{ "auth": "password" }"""), "inbounds[0].settings.accounts");

        Assert.StartsWith("required: at least one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_report_an_unknown_auth_instead_of_reading_it_as_noauth()
    {
        var error = Samples.SingleError(LoadSocks("""{ "auth": "passwd" }"""), "inbounds[0].settings.auth");

        Assert.Equal("unknown auth 'passwd'; did you mean 'password'?", error.Message);
    }

    [Fact]
    public void Validate_should_drop_accounts_with_a_warning_when_auth_is_noauth()
    {
        var result = LoadSocks("""{ "accounts": [ { "user": "alice", "pass": "secret" } ] }""");

        Assert.Empty(Assert.Single(Samples.Valid(result).Inbounds).Socks!.Accounts);
        Assert.Equal("inbounds[0].settings.accounts", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_read_udp_and_the_announced_ip()
    {
        var settings = LoadSettings("""{ "udp": true, "ip": "192.0.2.1" }""");

        Assert.True(settings.Udp);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), settings.Ip);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("127.1")]
    [InlineData("300.0.0.1")]
    public void Validate_should_report_an_ip_that_is_not_an_IP_address(string ip)
    {
        var error = Samples.SingleError(LoadSocks($$"""{ "udp": true, "ip": "{{ip}}" }"""), "inbounds[0].settings.ip");

        Assert.Equal($"'{ip}' is not an IP address", error.Message);
    }

    [Fact]
    public void Validate_should_warn_that_the_ip_has_no_effect_without_udp()
    {
        var result = LoadSocks("""{ "ip": "127.0.0.1" }""");

        Assert.True(result.IsValid);
        Assert.Equal("inbounds[0].settings.ip", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_read_the_user_level()
    {
        Assert.Equal(3, LoadSettings("""{ "userLevel": 3 }""").UserLevel);
    }

    [Fact]
    public void Validate_should_report_a_user_level_above_255()
    {
        Samples.SingleError(LoadSocks("""{ "userLevel": 256 }"""), "inbounds[0].settings.userLevel");
    }

    [Fact]
    public void Validate_should_warn_that_the_deprecated_timeout_is_ignored()
    {
        var result = LoadSocks("""{ "timeout": 30 }""");

        Assert.True(result.IsValid);
        Assert.Equal("inbounds[0].settings.timeout", Assert.Single(result.Warnings).Path);
    }
}
