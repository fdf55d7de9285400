using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class AllocateValidatorTests
{
    /// <summary>A config whose only inbound is a vmess one on <paramref name="port"/> with <paramref name="allocateJson"/>.</summary>
    private static ConfigLoadResult LoadAllocate(string allocateJson, string port = "\"10000-10010\"") =>
        Samples.LoadInbound($$"""{ "port": {{port}}, "protocol": "vmess", "tag": "dynamic", "allocate": {{allocateJson}} }""");

    private static PortAllocation LoadOne(string allocateJson, string port = "\"10000-10010\"") =>
        Assert.Single(Samples.Valid(LoadAllocate(allocateJson, port)).Inbounds).Allocate;

    /// <summary>Refused by V2Ray 4.34 as by this loader; what only this loader refuses is named so in its test.</summary>
    [Theory]
    [InlineData("\"2000-1000\"", "{ \"strategy\": \"always\" }")]
    [InlineData("\"10000-10010\"", "{ \"strategy\": \"random\", \"concurrency\": 11 }")]
    [InlineData("\"10000-10010\"", "{ \"strategy\": \"external\" }")]
    [InlineData("\"10000-10010\"", "{}")]
    public async Task Validate_should_refuse_what_the_real_v2ray_refuses(string port, string allocateJson)
    {
        var json = $$"""
            { "inbounds": [ { "port": {{port}}, "protocol": "vmess", "allocate": {{allocateJson}},
                              "settings": { "clients": [ { "id": "{{Samples.AliceId}}" } ] } } ] }
            """;

        var (accepted, output) = await V2RayTest.CheckJsonAsync(json);

        Assert.False(accepted, output);
        Assert.False(ConfigLoader.Load(json).IsValid);
    }

    [Fact]
    public void Validate_should_give_random_V2Rays_defaults_of_5_minutes_and_3_ports()
    {
        Assert.Equal(new PortAllocation(PortAllocationStrategy.Random, TimeSpan.FromMinutes(5), 3), LoadOne("""{ "strategy": "random" }"""));
    }

    [Fact]
    public void Validate_should_read_refresh_in_minutes_and_concurrency()
    {
        Assert.Equal(new PortAllocation(PortAllocationStrategy.Random, TimeSpan.FromMinutes(10), 2),
            LoadOne("""{ "strategy": "random", "refresh": 10, "concurrency": 2 }"""));
    }

    [Fact]
    public void Validate_should_read_always_as_every_port_open()
    {
        Assert.Equal(PortAllocation.Always, LoadOne("""{ "strategy": "always" }"""));
    }

    [Theory]
    [InlineData("Random", PortAllocationStrategy.Random)]
    [InlineData("ALWAYS", PortAllocationStrategy.Always)]
    public void Validate_should_read_the_strategy_ignoring_case_as_V2Ray_does(string strategy, PortAllocationStrategy expected)
    {
        Assert.Equal(expected, LoadOne($$"""{ "strategy": "{{strategy}}" }""").Strategy);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "strategy": "" }""")]
    public void Validate_should_require_a_strategy_as_V2Ray_has_no_default(string allocateJson)
    {
        var error = Samples.SingleError(LoadAllocate(allocateJson), "inbounds[0].allocate.strategy");

        Assert.Equal("required: 'always' or 'random'", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_unknown_strategy_with_a_suggestion()
    {
        var error = Samples.SingleError(LoadAllocate("""{ "strategy": "randon" }"""), "inbounds[0].allocate.strategy");

        Assert.Equal("unknown strategy 'randon'; did you mean 'random'?", error.Message);
    }

    [Fact]
    public void Validate_should_report_the_external_strategy_that_V2Ray_cannot_start_with()
    {
        var error = Samples.SingleError(LoadAllocate("""{ "strategy": "external" }"""), "inbounds[0].allocate.strategy");

        Assert.Equal("strategy 'external' is not supported (V2Ray 4.34 refuses to start with it too)", error.Message);
    }

    [Fact]
    public void Validate_should_report_allocate_random_without_a_range()
    {
        var error = Samples.SingleError(LoadAllocate("""{ "strategy": "random" }""", port: "10000"), "inbounds[0].allocate.strategy");

        Assert.Equal("'random' needs a port range such as '10000-10010' in 'port', not the single port 10000", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Validate_should_report_a_refresh_below_V2Rays_minimum_of_2_minutes(int refresh)
    {
        var error = Samples.SingleError(LoadAllocate($$"""{ "strategy": "random", "refresh": {{refresh}} }"""), "inbounds[0].allocate.refresh");

        Assert.Equal($"{refresh} is out of range 2..4294967295 (minutes; V2Ray's documented minimum is 2)", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_should_report_a_concurrency_below_1(int concurrency)
    {
        var error = Samples.SingleError(LoadAllocate($$"""{ "strategy": "random", "concurrency": {{concurrency}} }"""), "inbounds[0].allocate.concurrency");

        Assert.Equal($"{concurrency} is out of range 1..65535", error.Message);
    }

    [Fact]
    public void Validate_should_report_not_enough_ports_when_the_concurrency_is_as_large_as_the_range()
    {
        var error = Samples.SingleError(LoadAllocate("""{ "strategy": "random", "concurrency": 11 }"""), "inbounds[0].allocate.concurrency");

        Assert.Equal("not enough ports: 11 random ports need a range of more than 11 ports, and 10000-10010 has 11", error.Message);
    }

    [Fact]
    public void Validate_should_report_not_enough_ports_for_the_default_concurrency_which_V2Ray_leaves_unchecked()
    {
        var error = Samples.SingleError(LoadAllocate("""{ "strategy": "random" }""", port: "\"10000-10002\""), "inbounds[0].allocate");

        Assert.StartsWith("not enough ports: the default 3 random ports need a range of more than 3 ports", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_warn_about_a_concurrency_above_a_third_of_the_range()
    {
        var result = LoadAllocate("""{ "strategy": "random", "concurrency": 4 }""");

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Contains(result.Warnings, w => w.Path == "inbounds[0].allocate.concurrency");
    }

    [Fact]
    public void Validate_should_not_warn_about_a_concurrency_of_a_third_of_the_range()
    {
        var result = LoadAllocate("""{ "strategy": "random", "concurrency": 3 }""", port: "\"10000-10008\"");

        Assert.DoesNotContain(result.Warnings, w => w.Path == "inbounds[0].allocate.concurrency");
    }

    [Theory]
    [InlineData("refresh")]
    [InlineData("concurrency")]
    public void Validate_should_warn_that_always_ignores_a_random_only_setting(string property)
    {
        var result = LoadAllocate($$"""{ "strategy": "always", "{{property}}": 0 }""");

        Assert.Equal(PortAllocation.Always, Assert.Single(Samples.Valid(result).Inbounds).Allocate);
        Assert.Contains(new ConfigIssue($"inbounds[0].allocate.{property}", "ignored: only strategy 'random' uses it"), result.Warnings);
    }
}
