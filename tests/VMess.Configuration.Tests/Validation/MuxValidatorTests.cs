using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class MuxValidatorTests
{
    private static ConfigLoadResult LoadMux(string muxJson) =>
        Samples.LoadOutbounds($$"""{ "protocol": "freedom", "mux": {{muxJson}} }""");

    private static MuxOptions? LoadOne(string muxJson) => Assert.Single(Samples.Valid(LoadMux(muxJson)).Outbounds).Mux;

    [Fact]
    public void Validate_should_leave_mux_unset_when_the_outbound_has_none()
    {
        Assert.Null(Assert.Single(Samples.Valid(Samples.LoadOutbounds("""{ "protocol": "freedom" }""")).Outbounds).Mux);
    }

    [Fact]
    public void Validate_should_give_V2Ray_defaults_for_an_empty_mux_object()
    {
        Assert.Equal(new MuxOptions(Enabled: false, Concurrency: 8), LoadOne("{}"));
    }

    [Fact]
    public void Validate_should_read_concurrency_0_as_V2Rays_8()
    {
        Assert.Equal(8, LoadOne("""{ "concurrency": 0 }""")!.Concurrency);
    }

    [Fact]
    public void Validate_should_read_a_negative_concurrency_as_mux_off_as_V2Ray_does()
    {
        Assert.Equal(MuxOptions.Default, LoadOne("""{ "enabled": true, "concurrency": -1 }"""));
    }

    [Fact]
    public void Validate_should_keep_an_enabled_mux_and_warn_that_a_freedom_outbound_goes_without_it()
    {
        var result = LoadMux("""{ "enabled": true, "concurrency": 16 }""");

        Assert.Equal(new MuxOptions(Enabled: true, Concurrency: 16), Assert.Single(Samples.Valid(result).Outbounds).Mux);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("outbounds[0].mux.enabled", warning.Path);
        Assert.Equal("only the vmess outbound multiplexes here: connections go without mux", warning.Message);
    }

    [Fact]
    public void Validate_should_take_an_enabled_mux_on_a_vmess_outbound_without_a_warning()
    {
        var result = Samples.LoadOutbounds("""
            { "protocol": "vmess", "mux": { "enabled": true, "concurrency": 4 },
              "settings": { "vnext": [ { "address": "127.0.0.1", "port": 10086,
                "users": [ { "id": "b831381d-6324-4d53-ad4f-8cda48b30811" } ] } ] } }
            """);

        Assert.Equal(new MuxOptions(Enabled: true, Concurrency: 4), Assert.Single(Samples.Valid(result).Outbounds).Mux);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData(1025)]
    [InlineData(-32769)]
    public void Validate_should_report_a_concurrency_V2Ray_would_refuse(int concurrency)
    {
        Samples.SingleError(LoadMux($$"""{ "concurrency": {{concurrency}} }"""), "outbounds[0].mux.concurrency");
    }

    [Fact]
    public void Validate_should_accept_V2Rays_largest_concurrency()
    {
        Assert.Equal(1024, LoadOne("""{ "concurrency": 1024 }""")!.Concurrency);
    }
}
