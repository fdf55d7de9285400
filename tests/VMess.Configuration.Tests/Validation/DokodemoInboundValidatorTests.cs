using System.Net;
using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class DokodemoInboundValidatorTests
{
    private static ConfigLoadResult LoadDokodemo(string settingsJson) =>
        Samples.LoadInbound($$"""{ "port": 5353, "protocol": "dokodemo-door", "settings": {{settingsJson}} }""");

    private static DokodemoSettings LoadSettings(string settingsJson) =>
        Assert.Single(Samples.Valid(LoadDokodemo(settingsJson)).Inbounds).Dokodemo!;

    [Fact]
    public void Validate_should_read_a_dokodemo_door_with_V2Ray_defaults_for_what_is_absent()
    {
        var inbound = Assert.Single(Samples.Valid(LoadDokodemo("""{ "address": "1.1.1.1", "port": 53 }""")).Inbounds);

        Assert.Equal(new InboundOptions(null, IPAddress.Any, 5353, InboundProtocol.DokodemoDoor, VMess: null,
            Dokodemo: new DokodemoSettings("1.1.1.1", 53, DokodemoNetwork.Tcp, TimeSpan.Zero, UserLevel: 0)), inbound);
    }

    [Theory]
    [InlineData("\"udp\"", DokodemoNetwork.Udp)]
    [InlineData("\"tcp,udp\"", DokodemoNetwork.Tcp | DokodemoNetwork.Udp)]
    [InlineData("\"UDP\"", DokodemoNetwork.Udp)]
    [InlineData("[\"tcp\", \"udp\"]", DokodemoNetwork.Tcp | DokodemoNetwork.Udp)]
    public void Validate_should_read_the_network_list_in_both_of_V2Rays_forms(string network, DokodemoNetwork expected)
    {
        Assert.Equal(expected, LoadSettings($$"""{ "address": "example.com", "port": 53, "network": {{network}} }""").Network);
    }

    [Fact]
    public void Validate_should_report_a_network_name_with_the_space_that_V2Ray_would_keep()
    {
        var error = Samples.SingleError(LoadDokodemo("""{ "address": "example.com", "port": 53, "network": "tcp, udp" }"""),
            "inbounds[0].settings.network");

        Assert.Equal("unknown network ' udp'; did you mean 'udp'?", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_empty_network_list()
    {
        Samples.SingleError(LoadDokodemo("""{ "address": "example.com", "port": 53, "network": [] }"""), "inbounds[0].settings.network");
    }

    [Fact]
    public void Validate_should_report_a_unix_network_as_not_supported()
    {
        Samples.SingleError(LoadDokodemo("""{ "address": "example.com", "port": 53, "network": ["tcp", "unix"] }"""),
            "inbounds[0].settings.network[1]");
    }

    [Fact]
    public void Validate_should_require_an_address()
    {
        Samples.SingleError(LoadDokodemo("""{ "port": 53 }"""), "inbounds[0].settings.address");
    }

    [Fact]
    public void Validate_should_require_the_settings_as_a_dokodemo_door_without_them_has_nowhere_to_go()
    {
        var result = Samples.LoadInbound("""{ "port": 5353, "protocol": "dokodemo-door" }""");

        Assert.Equal(["inbounds[0].settings.address", "inbounds[0].settings.port"], result.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    public void Validate_should_report_a_port_outside_1_to_65535(string port)
    {
        Samples.SingleError(LoadDokodemo($$"""{ "address": "example.com", "port": {{port}} }"""), "inbounds[0].settings.port");
    }

    [Fact]
    public void Validate_should_report_followRedirect_as_not_supported()
    {
        var error = Samples.SingleError(LoadDokodemo("""{ "address": "example.com", "port": 53, "followRedirect": true }"""),
            "inbounds[0].settings.followRedirect");

        Assert.Equal("not supported: this node does no transparent proxying", error.Message);
    }

    [Fact]
    public void Validate_should_read_the_timeout_as_whole_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), LoadSettings("""{ "address": "example.com", "port": 53, "timeout": 10 }""").Timeout);
    }
}
