namespace VMess.Configuration.Tests.Validation;

public sealed class StreamSettingsValidatorTests
{
    private static ConfigLoadResult LoadStream(string streamJson) =>
        Samples.LoadInbound($$"""{ "port": 1, "protocol": "vmess", "settings": { "clients": [ { "id": "{{Samples.AliceId}}" } ] }, "streamSettings": {{streamJson}} }""");

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{ "network": "tcp", "security": "none" }""")]
    [InlineData("""{ "network": "TCP", "security": "" }""")]
    [InlineData("""{ "tcpSettings": { "header": { "type": "none" }, "acceptProxyProtocol": false } }""")]
    public void Validate_should_accept_plain_tcp(string streamJson)
    {
        Assert.True(LoadStream(streamJson).IsValid);
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("kcp")]
    [InlineData("h2")]
    [InlineData("quic")]
    [InlineData("domainsocket")]
    public void Validate_should_report_another_V2Ray_network_as_not_supported_yet(string network)
    {
        var error = Samples.SingleError(LoadStream($$"""{ "network": "{{network}}" }"""), "inbounds[0].streamSettings.network");

        Assert.Equal($"network '{network}' is not supported yet (only 'tcp')", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_unknown_network()
    {
        var error = Samples.SingleError(LoadStream("""{ "network": "tpc" }"""), "inbounds[0].streamSettings.network");

        Assert.Equal("unknown network 'tpc'; did you mean 'tcp'?", error.Message);
    }

    [Fact]
    public void Validate_should_report_tls_as_not_supported_yet()
    {
        Samples.SingleError(LoadStream("""{ "security": "tls" }"""), "inbounds[0].streamSettings.security");
    }

    [Fact]
    public void Validate_should_report_an_unknown_security_that_V2Ray_would_read_as_none()
    {
        var error = Samples.SingleError(LoadStream("""{ "security": "xtls" }"""), "inbounds[0].streamSettings.security");

        Assert.Equal("unknown security 'xtls'; expected 'none'", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_http_header()
    {
        Samples.SingleError(LoadStream("""{ "tcpSettings": { "header": { "type": "http", "request": {} } } }"""),
            "inbounds[0].streamSettings.tcpSettings.header.type");
    }

    [Fact]
    public void Validate_should_report_the_proxy_protocol()
    {
        Samples.SingleError(LoadStream("""{ "tcpSettings": { "acceptProxyProtocol": true } }"""),
            "inbounds[0].streamSettings.tcpSettings.acceptProxyProtocol");
    }

    [Fact]
    public void Validate_should_warn_about_settings_of_other_transports()
    {
        var result = LoadStream("""{ "network": "tcp", "wsSettings": { "path": "/" } }""");

        Assert.True(result.IsValid);
        Assert.Equal("inbounds[0].streamSettings.wsSettings", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_check_outbound_stream_settings_too()
    {
        Samples.SingleError(Samples.LoadWith("""  "outbounds": [ { "protocol": "freedom", "streamSettings": { "network": "ws" } } ]"""),
            "outbounds[0].streamSettings.network");
    }
}
