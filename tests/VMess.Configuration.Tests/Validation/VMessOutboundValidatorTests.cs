using VMess.Configuration.Options;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Tests.Validation;

public sealed class VMessOutboundValidatorTests
{
    private static ConfigLoadResult LoadVnext(string vnextJson) =>
        Samples.LoadOutbounds($$"""{ "protocol": "vmess", "settings": { "vnext": {{vnextJson}} } }""");

    private static ConfigLoadResult LoadUser(string userJson) =>
        LoadVnext($$"""[ { "address": "example.com", "port": 443, "users": [ {{userJson}} ] } ]""");

    private static VMessOutboundUser LoadOneUser(string userJson) =>
        Assert.Single(Assert.Single(Assert.Single(Samples.Valid(LoadUser(userJson)).Outbounds).VMess!.Servers).Users);

    [Fact]
    public void Validate_should_read_a_vmess_outbound()
    {
        var outbound = Assert.Single(Samples.Valid(LoadVnext($$"""
            [ { "address": "example.com", "port": 443,
                "users": [ { "id": "{{Samples.AliceId}}", "alterId": 4, "security": "chacha20-poly1305", "level": 1, "email": "a@example.com" } ] } ]
            """)).Outbounds);

        var user = new VMessOutboundUser(VMessUserId.Parse(Samples.AliceId), 4, SecurityType.ChaCha20Poly1305, 1, "a@example.com");
        Assert.Equal(new OutboundOptions(null, OutboundProtocol.VMess, Freedom: null, Blackhole: null,
            new VMessOutboundSettings([new VMessServer("example.com", 443, [user])])), outbound);
    }

    [Fact]
    public void Validate_should_read_an_absent_user_security_as_auto()
    {
        Assert.Equal(SecurityType.Auto, LoadOneUser($$"""{ "id": "{{Samples.AliceId}}" }""").Security);
    }

    [Fact]
    public void Validate_should_default_a_user_to_alterId_0_level_0_and_no_email()
    {
        var user = LoadOneUser($$"""{ "id": "{{Samples.AliceId}}" }""");

        Assert.Equal(new VMessOutboundUser(VMessUserId.Parse(Samples.AliceId), 0, SecurityType.Auto, 0, null), user);
    }

    [Theory]
    [InlineData("aes-128-gcm", SecurityType.Aes128Gcm)]
    [InlineData("AES-128-GCM", SecurityType.Aes128Gcm)]
    [InlineData("chacha20-poly1305", SecurityType.ChaCha20Poly1305)]
    [InlineData("none", SecurityType.None)]
    [InlineData("auto", SecurityType.Auto)]
    public void Validate_should_read_every_security_V2Ray_4_34_names(string text, SecurityType expected)
    {
        Assert.Equal(expected, LoadOneUser($$"""{ "id": "{{Samples.AliceId}}", "security": "{{text}}" }""").Security);
    }

    [Fact]
    public void Validate_should_read_the_old_aes_128_cfb_as_auto_with_a_warning_as_V2Ray_4_34_does()
    {
        var result = LoadUser($$"""{ "id": "{{Samples.AliceId}}", "security": "aes-128-cfb" }""");

        Assert.Equal(SecurityType.Auto, Assert.Single(Assert.Single(Assert.Single(Samples.Valid(result).Outbounds).VMess!.Servers).Users).Security);
        Assert.Equal("outbounds[0].settings.vnext[0].users[0].security", Assert.Single(result.Warnings).Path);
    }

    [Theory]
    [InlineData("zero")]
    [InlineData("aes-256-gcm")]
    public void Validate_should_report_a_security_V2Ray_4_34_does_not_know(string text)
    {
        var error = Samples.SingleError(LoadUser($$"""{ "id": "{{Samples.AliceId}}", "security": "{{text}}" }"""),
            "outbounds[0].settings.vnext[0].users[0].security");

        Assert.StartsWith($"unknown security '{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_report_a_user_id_that_is_not_a_UUID()
    {
        Samples.SingleError(LoadUser("""{ "id": "alice" }"""), "outbounds[0].settings.vnext[0].users[0].id");
    }

    [Fact]
    public void Validate_should_require_a_user_id()
    {
        Samples.SingleError(LoadUser("""{ "alterId": 0 }"""), "outbounds[0].settings.vnext[0].users[0].id");
    }

    [Fact]
    public void Validate_should_report_an_alterId_above_65535()
    {
        Samples.SingleError(LoadUser($$"""{ "id": "{{Samples.AliceId}}", "alterId": 65536 }"""), "outbounds[0].settings.vnext[0].users[0].alterId");
    }

    [Fact]
    public void Validate_should_require_at_least_one_server()
    {
        var error = Samples.SingleError(LoadVnext("[]"), "outbounds[0].settings.vnext");

        Assert.StartsWith("required: at least one server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_require_settings_for_a_vmess_outbound()
    {
        Samples.SingleError(Samples.LoadOutbounds("""{ "protocol": "vmess" }"""), "outbounds[0].settings.vnext");
    }

    [Fact]
    public void Validate_should_require_at_least_one_user_per_server()
    {
        Samples.SingleError(LoadVnext("""[ { "address": "example.com", "port": 443, "users": [] } ]"""), "outbounds[0].settings.vnext[0].users");
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("vmess.example.com", "vmess.example.com")]
    [InlineData("localhost", "localhost")]
    public void Validate_should_read_an_IP_or_domain_server_address(string text, string expected)
    {
        var result = LoadVnext($$"""[ { "address": "{{text}}", "port": 443, "users": [ { "id": "{{Samples.AliceId}}" } ] } ]""");

        Assert.Equal(expected, Assert.Single(Assert.Single(Samples.Valid(result).Outbounds).VMess!.Servers).Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("exa mple.com")]
    [InlineData("-example.com")]
    [InlineData("1.2.3.999")]
    [InlineData("example..com")]
    public void Validate_should_report_a_server_address_that_is_neither_an_IP_nor_a_domain(string text)
    {
        Samples.SingleError(LoadVnext($$"""[ { "address": "{{text}}", "port": 443, "users": [ { "id": "{{Samples.AliceId}}" } ] } ]"""),
            "outbounds[0].settings.vnext[0].address");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("\"443\"")]
    public void Validate_should_report_a_server_port_that_is_not_a_number_from_1_to_65535(string port)
    {
        Samples.SingleError(LoadVnext($$"""[ { "address": "example.com", "port": {{port}}, "users": [ { "id": "{{Samples.AliceId}}" } ] } ]"""),
            "outbounds[0].settings.vnext[0].port");
    }

    [Fact]
    public void Validate_should_require_a_server_port()
    {
        Samples.SingleError(LoadVnext($$"""[ { "address": "example.com", "users": [ { "id": "{{Samples.AliceId}}" } ] } ]"""),
            "outbounds[0].settings.vnext[0].port");
    }

    [Fact]
    public void Validate_should_accept_plain_tcp_stream_settings_on_a_vmess_outbound()
    {
        Assert.True(Samples.LoadOutbounds($$"""
            { "protocol": "vmess", "streamSettings": { "network": "tcp", "tcpSettings": { "header": { "type": "none" } } },
              "settings": { "vnext": [ { "address": "example.com", "port": 443, "users": [ { "id": "{{Samples.AliceId}}" } ] } ] } }
            """).IsValid);
    }

    [Fact]
    public void Validate_should_report_a_websocket_transport_on_a_vmess_outbound_as_on_an_inbound()
    {
        var error = Samples.SingleError(Samples.LoadOutbounds($$"""
            { "protocol": "vmess", "streamSettings": { "network": "ws" },
              "settings": { "vnext": [ { "address": "example.com", "port": 443, "users": [ { "id": "{{Samples.AliceId}}" } ] } ] } }
            """), "outbounds[0].streamSettings.network");

        Assert.Equal("network 'ws' is not supported yet (only 'tcp')", error.Message);
    }
}
