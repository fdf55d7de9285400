using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class NodeValidatorTests
{
    [Fact]
    public void Validate_should_use_one_default_freedom_outbound_when_there_is_none()
    {
        Assert.Equal(OutboundOptions.DefaultFreedom, Assert.Single(Samples.Valid(Samples.LoadWith("\"outbounds\": []")).Outbounds));
    }

    [Fact]
    public void Validate_should_report_a_duplicate_outbound_tag()
    {
        var error = Samples.SingleError(Samples.LoadWith("""  "outbounds": [ { "protocol": "freedom", "tag": "a" }, { "protocol": "blackhole", "tag": "a" } ]"""),
            "outbounds[1].tag");

        Assert.Equal("duplicate tag 'a': outbounds[0] has it too", error.Message);
    }

    [Fact]
    public void Validate_should_allow_an_inbound_and_an_outbound_to_share_a_tag()
    {
        Assert.True(ConfigLoader.Load("""
            { "inbounds": [ { "port": 1, "protocol": "vmess", "tag": "x" } ], "outbounds": [ { "protocol": "freedom", "tag": "x" } ] }
            """).IsValid);
    }

    [Fact]
    public void Validate_should_allow_several_untagged_inbounds()
    {
        Assert.Equal(2, Samples.Valid(ConfigLoader.Load("""
            { "inbounds": [ { "port": 1, "protocol": "vmess" }, { "port": 2, "protocol": "vmess" } ] }
            """)).Inbounds.Length);
    }

    [Fact]
    public void Validate_should_warn_about_an_inbound_without_clients()
    {
        var warning = Assert.Single(Samples.LoadInbound("""{ "port": 1, "protocol": "vmess" }""").Warnings);

        Assert.Equal("inbounds[0].settings.clients", warning.Path);
    }

    [Fact]
    public void Validate_should_warn_about_random_ports_that_no_vmess_detour_names()
    {
        var result = Samples.LoadInbound("""{ "port": "10000-10010", "protocol": "socks", "allocate": { "strategy": "random" } }""");

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Equal(
            new ConfigIssue("inbounds[0].allocate.strategy", "no vmess inbound's settings.detour.to names this inbound, so no client learns its random ports"),
            Assert.Single(result.Warnings));
    }

    [Fact]
    public void Validate_should_not_warn_about_random_ports_of_a_detour_target()
    {
        var result = ConfigLoader.Load($$"""
            { "inbounds": [
                { "port": 1, "protocol": "vmess", "settings": { "clients": [ { "id": "{{Samples.AliceId}}" } ], "detour": { "to": "dynamic" } } },
                { "port": "10000-10010", "protocol": "vmess", "tag": "dynamic", "allocate": { "strategy": "random" } } ] }
            """);

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Validate_should_report_warnings_at_the_path_of_the_inbound_after_an_invalid_one()
    {
        var result = ConfigLoader.Load("""{ "inbounds": [ { "port": 1, "protocol": "nope" }, { "port": 2, "protocol": "vmess" } ] }""");

        Assert.Equal("inbounds[1].settings.clients", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_warn_about_an_outbound_after_the_first_that_no_routing_rule_uses()
    {
        var warning = Assert.Single(Samples.LoadWith("""  "outbounds": [ { "protocol": "freedom" }, { "protocol": "blackhole", "tag": "b" } ]""").Warnings);

        Assert.Equal("outbounds[1]", warning.Path);
    }

    [Fact]
    public void Validate_should_not_warn_about_an_outbound_that_a_routing_rule_uses()
    {
        var result = Samples.LoadWith("""
              "outbounds": [ { "protocol": "freedom" }, { "protocol": "blackhole", "tag": "b" } ],
              "routing": { "rules": [ { "type": "field", "inboundTag": ["in"], "outboundTag": "b" } ] }
            """);

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Validate_should_keep_validating_other_sections_after_an_error()
    {
        var result = ConfigLoader.Load("""{ "log": { "loglevel": "x" }, "outbounds": [ { "protocol": "y" } ], "policy": { "levels": { "z": {} } } }""");

        Assert.Equal(["log.loglevel", "outbounds[0].protocol", "policy.levels[\"z\"]"], result.Errors.Select(e => e.Path));
    }
}
