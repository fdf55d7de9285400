using System.Net;
using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class InboundValidatorTests
{
    private static InboundOptions LoadOne(string inboundJson) =>
        Assert.Single(Samples.Valid(Samples.LoadInbound(inboundJson)).Inbounds);

    [Fact]
    public void Validate_should_listen_on_every_IPv4_address_by_default()
    {
        Assert.Equal(IPAddress.Any, LoadOne("""{ "port": 1, "protocol": "vmess" }""").Listen);
    }

    [Fact]
    public void Validate_should_read_an_IPv6_listen_address()
    {
        Assert.Equal(IPAddress.IPv6Loopback, LoadOne("""{ "listen": "::1", "port": 1, "protocol": "vmess" }""").Listen);
    }

    [Theory]
    [InlineData("8080", 8080)]
    [InlineData("0", 0)]
    [InlineData("65535", 65535)]
    public void Validate_should_read_a_numeric_string_port(string port, int expected)
    {
        Assert.Equal(expected, LoadOne($$"""{ "port": "{{port}}", "protocol": "vmess" }""").Port);
    }

    [Fact]
    public void Validate_should_read_the_protocol_name_ignoring_case_as_V2Ray_does()
    {
        Assert.NotNull(LoadOne("""{ "port": 1, "protocol": "VMess" }""").VMess);
    }

    [Theory]
    [InlineData("\"1000-2000\"", "port ranges ('1000-2000') are not supported; give a single port")]
    [InlineData("\"env:PORT\"", "'env:' ports are not supported; write the port number")]
    [InlineData("65536", "65536 is not a port number (0..65535)")]
    [InlineData("-1", "-1 is not a port number (0..65535)")]
    [InlineData("\" 80\"", "' 80' is not a port number (0..65535)")]
    [InlineData("true", "expected a port number, got true")]
    public void Validate_should_report_a_port_that_is_not_a_single_number(string port, string message)
    {
        var error = Samples.SingleError(Samples.LoadInbound($$"""{ "port": {{port}}, "protocol": "vmess" }"""), "inbounds[0].port");

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validate_should_require_a_port()
    {
        var error = Samples.SingleError(Samples.LoadInbound("""{ "protocol": "vmess" }"""), "inbounds[0].port");

        Assert.Equal("required: a port number", error.Message);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("example.com")]
    [InlineData("127.1")]
    [InlineData("/run/v2ray.sock")]
    public void Validate_should_report_a_listen_value_that_is_not_an_IP_address(string listen)
    {
        Samples.SingleError(Samples.LoadInbound($$"""{ "listen": "{{listen}}", "port": 1, "protocol": "vmess" }"""), "inbounds[0].listen");
    }

    [Theory]
    [InlineData("shadowsocks")]
    [InlineData("vless")]
    [InlineData("trojan")]
    public void Validate_should_report_a_V2Ray_protocol_as_not_supported_yet(string protocol)
    {
        var error = Samples.SingleError(Samples.LoadInbound($$"""{ "port": 1, "protocol": "{{protocol}}" }"""), "inbounds[0].protocol");

        Assert.Equal($"protocol '{protocol}' is not supported yet", error.Message);
    }

    [Fact]
    public void Validate_should_require_a_protocol()
    {
        Samples.SingleError(Samples.LoadInbound("""{ "port": 1 }"""), "inbounds[0].protocol");
    }

    [Theory]
    [InlineData("allocate")]
    [InlineData("sniffing")]
    [InlineData("domainOverride")]
    public void Validate_should_warn_about_an_unimplemented_inbound_feature(string property)
    {
        var result = Samples.LoadInbound($$"""{ "port": 1, "protocol": "vmess", "settings": { "default": {} }, "tag": "t", "{{property}}": {} }""");

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Path == $"inbounds[0].{property}");
    }
}
