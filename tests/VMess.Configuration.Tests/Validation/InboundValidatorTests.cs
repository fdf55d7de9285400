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
    public void Validate_should_read_a_port_range_string_as_its_first_and_last_port()
    {
        var inbound = LoadOne("""{ "port": "10000-10010", "protocol": "vmess" }""");

        Assert.Equal((10000, 10010), (inbound.Port, inbound.PortTo));
    }

    [Fact]
    public void Validate_should_mark_a_single_port_with_PortTo_minus_1()
    {
        var inbound = LoadOne("""{ "port": 8080, "protocol": "vmess" }""");

        Assert.Equal((8080, -1, 8080), (inbound.Port, inbound.PortTo, inbound.LastPort));
    }

    [Fact]
    public void Validate_should_read_a_range_of_one_port_as_a_single_port()
    {
        Assert.Equal(-1, LoadOne("""{ "port": "8080-8080", "protocol": "vmess" }""").PortTo);
    }

    [Fact]
    public void Validate_should_open_every_port_of_a_range_when_there_is_no_allocate()
    {
        Assert.Equal(PortAllocation.Always, LoadOne("""{ "port": "10000-10010", "protocol": "socks" }""").Allocate);
    }

    [Theory]
    [InlineData("1000-")]
    [InlineData("-1000")]
    [InlineData("1000 - 2000")]
    [InlineData("1000-2000-3000")]
    [InlineData("1000-65536")]
    public void Validate_should_report_a_malformed_port_range_as_V2Ray_does(string port)
    {
        var error = Samples.SingleError(Samples.LoadInbound($$"""{ "port": "{{port}}", "protocol": "vmess" }"""), "inbounds[0].port");

        Assert.Equal($"'{port}' is not a port range such as '10000-10010' (ports 0..65535)", error.Message);
    }

    [Fact]
    public void Validate_should_report_a_port_range_whose_first_port_is_above_its_last()
    {
        var error = Samples.SingleError(Samples.LoadInbound("""{ "port": "2000-1000", "protocol": "vmess" }"""), "inbounds[0].port");

        Assert.Equal("'2000-1000' is not a port range: 2000 is above 1000", error.Message);
    }

    [Fact]
    public void Validate_should_report_a_port_range_that_starts_at_port_0()
    {
        var error = Samples.SingleError(Samples.LoadInbound("""{ "port": "0-10", "protocol": "vmess" }"""), "inbounds[0].port");

        Assert.Equal("'0-10': a range cannot start at 0, which asks the OS for one free port", error.Message);
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
    [InlineData("sniffing")]
    [InlineData("domainOverride")]
    public void Validate_should_warn_about_an_unimplemented_inbound_feature(string property)
    {
        var result = Samples.LoadInbound($$"""{ "port": 1, "protocol": "vmess", "settings": { "default": {} }, "tag": "t", "{{property}}": {} }""");

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Path == $"inbounds[0].{property}");
    }
}
