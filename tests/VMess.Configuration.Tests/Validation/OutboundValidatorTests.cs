using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class OutboundValidatorTests
{
    private static ConfigLoadResult LoadOutbound(string outboundJson) => Samples.LoadWith($"\"outbounds\": [ {outboundJson} ]");

    private static OutboundOptions LoadOne(string outboundJson) => Assert.Single(Samples.Valid(LoadOutbound(outboundJson)).Outbounds);

    [Fact]
    public void Validate_should_give_freedom_defaults_without_settings()
    {
        Assert.Equal(OutboundOptions.DefaultFreedom, LoadOne("""{ "protocol": "freedom" }"""));
    }

    [Theory]
    [InlineData("AsIs", FreedomDomainStrategy.AsIs)]
    [InlineData("UseIP", FreedomDomainStrategy.UseIP)]
    [InlineData("useip", FreedomDomainStrategy.UseIP)]
    [InlineData("use_ip", FreedomDomainStrategy.UseIP)]
    [InlineData("UseIPv4", FreedomDomainStrategy.UseIPv4)]
    [InlineData("UseIP4", FreedomDomainStrategy.UseIPv4)]
    [InlineData("use_ip_v4", FreedomDomainStrategy.UseIPv4)]
    [InlineData("UseIPv6", FreedomDomainStrategy.UseIPv6)]
    [InlineData("use_ip6", FreedomDomainStrategy.UseIPv6)]
    public void Validate_should_read_every_domain_strategy_spelling_V2Ray_reads(string text, FreedomDomainStrategy expected)
    {
        Assert.Equal(expected, LoadOne($$"""{ "protocol": "freedom", "settings": { "domainStrategy": "{{text}}" } }""").Freedom!.DomainStrategy);
    }

    [Fact]
    public void Validate_should_report_an_unknown_domain_strategy_instead_of_reading_it_as_AsIs()
    {
        var error = Samples.SingleError(LoadOutbound("""{ "protocol": "freedom", "settings": { "domainStrategy": "UseIPv5" } }"""),
            "outbounds[0].settings.domainStrategy");

        Assert.Equal("unknown domainStrategy 'UseIPv5'; did you mean 'UseIPv4'?", error.Message);
    }

    [Theory]
    [InlineData("example.com:443", "example.com", 443)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData(":8080", null, 8080)]
    [InlineData("[::1]:53", "::1", 53)]
    public void Validate_should_read_a_redirect(string text, string? host, int port)
    {
        var freedom = LoadOne($$"""{ "protocol": "freedom", "settings": { "redirect": "{{text}}" } }""").Freedom!;

        Assert.Equal(new FreedomRedirect(host, port), freedom.Redirect);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("::1:53")]
    [InlineData("example.com:http")]
    [InlineData("example.com:70000")]
    [InlineData("[::1]53")]
    public void Validate_should_report_a_redirect_that_is_not_host_and_port(string text)
    {
        Samples.SingleError(LoadOutbound($$"""{ "protocol": "freedom", "settings": { "redirect": "{{text}}" } }"""), "outbounds[0].settings.redirect");
    }

    [Fact]
    public void Validate_should_warn_about_the_deprecated_freedom_timeout()
    {
        var result = LoadOutbound("""{ "protocol": "freedom", "settings": { "timeout": 10 } }""");

        Assert.True(result.IsValid);
        Assert.Equal("outbounds[0].settings.timeout", Assert.Single(result.Warnings).Path);
    }

    [Theory]
    [InlineData("""{ "protocol": "blackhole" }""", BlackholeResponseType.None)]
    [InlineData("""{ "protocol": "blackhole", "settings": { "response": { "type": "none" } } }""", BlackholeResponseType.None)]
    [InlineData("""{ "protocol": "blackhole", "settings": { "response": { "type": "HTTP" } } }""", BlackholeResponseType.Http)]
    public void Validate_should_read_the_blackhole_response(string outboundJson, BlackholeResponseType expected)
    {
        Assert.Equal(new BlackholeSettings(expected), LoadOne(outboundJson).Blackhole);
    }

    [Fact]
    public void Validate_should_require_the_blackhole_response_type_as_V2Ray_does()
    {
        Samples.SingleError(LoadOutbound("""{ "protocol": "blackhole", "settings": { "response": {} } }"""), "outbounds[0].settings.response.type");
    }

    [Theory]
    [InlineData("socks")]
    [InlineData("shadowsocks")]
    [InlineData("dns")]
    public void Validate_should_report_a_V2Ray_protocol_as_not_supported_yet(string protocol)
    {
        var error = Samples.SingleError(LoadOutbound($$"""{ "protocol": "{{protocol}}", "settings": { "vnext": [] } }"""), "outbounds[0].protocol");

        Assert.Equal($"protocol '{protocol}' is not supported yet", error.Message);
    }

    [Theory]
    [InlineData("proxySettings")]
    [InlineData("sendThrough")]
    public void Validate_should_warn_about_an_unimplemented_outbound_feature(string property)
    {
        var result = LoadOutbound($$"""{ "protocol": "freedom", "{{property}}": {} }""");

        Assert.True(result.IsValid);
        Assert.Equal($"outbounds[0].{property}", Assert.Single(result.Warnings).Path);
    }
}
