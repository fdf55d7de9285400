using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class RoutingValidatorTests
{
    /// <summary>Inbounds tagged "a" and "b"; outbounds "direct" (the first) and "blocked".</summary>
    private static ConfigLoadResult LoadRouting(string routingJson) =>
        ConfigLoader.Load($$"""
            {
              "inbounds": [
                { "tag": "a", "port": 1080, "protocol": "socks" },
                { "tag": "b", "port": 1081, "protocol": "http" }
              ],
              "outbounds": [ { "tag": "direct", "protocol": "freedom" }, { "tag": "blocked", "protocol": "blackhole" } ],
              "routing": {{routingJson}}
            }
            """);

    private static ConfigLoadResult LoadRules(params string[] rules) => LoadRouting($$"""{ "rules": [ {{string.Join(", ", rules)}} ] }""");

    private static RoutingOptions Routing(ConfigLoadResult result) => Samples.Valid(result).EffectiveRouting;

    [Fact]
    public void Validate_should_read_an_inboundTag_rule()
    {
        var routing = Routing(LoadRules("""{ "type": "field", "inboundTag": ["a", "b"], "outboundTag": "blocked" }"""));

        Assert.Equal(new RoutingOptions([new RoutingRule(["a", "b"], "blocked")]), routing);
    }

    [Fact]
    public void Validate_should_keep_the_rules_in_order()
    {
        var routing = Routing(LoadRules(
            """{ "type": "field", "inboundTag": ["a"], "outboundTag": "blocked" }""",
            """{ "type": "field", "inboundTag": ["b"], "outboundTag": "direct" }"""));

        Assert.Equal(["blocked", "direct"], routing.Rules.Select(r => r.OutboundTag));
    }

    [Fact]
    public void Validate_should_read_inboundTag_as_a_comma_separated_string_as_V2Ray_does()
    {
        var rule = Assert.Single(Routing(LoadRules("""{ "type": "field", "inboundTag": "a,b", "outboundTag": "blocked" }""")).Rules);

        Assert.Equal<string>(["a", "b"], rule.InboundTags);
    }

    [Fact]
    public void Validate_should_read_the_rule_type_ignoring_case_as_V2Ray_does()
    {
        Assert.Single(Routing(LoadRules("""{ "type": "Field", "inboundTag": ["a"], "outboundTag": "blocked" }""")).Rules);
    }

    [Fact]
    public void Validate_should_read_an_empty_routing_object_as_no_rules()
    {
        var result = LoadRouting("{}");

        Assert.Empty(Routing(result).Rules);
        Assert.Equal("outbounds[1]", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_ignore_a_rule_with_a_domain_with_a_warning()
    {
        var result = LoadRules("""{ "type": "field", "inboundTag": ["a"], "domain": ["example.com"], "outboundTag": "blocked" }""");

        Assert.Empty(Routing(result).Rules);
        var warning = Assert.Single(result.Warnings, w => w.Path == "routing.rules[0]");
        Assert.StartsWith("only inboundTag rules are supported; this rule is ignored", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"ip\": [\"10.0.0.0/8\"]")]
    [InlineData("\"port\": \"53\"")]
    [InlineData("\"network\": \"udp\"")]
    [InlineData("\"source\": [\"127.0.0.1\"]")]
    [InlineData("\"sourcePort\": 1234")]
    [InlineData("\"user\": [\"a@example.com\"]")]
    [InlineData("\"protocol\": [\"bittorrent\"]")]
    [InlineData("\"attrs\": \"attrs[':method'] == 'GET'\"")]
    [InlineData("\"domains\": [\"example.com\"]")]
    public void Validate_should_ignore_a_rule_with_any_other_condition(string condition)
    {
        var result = LoadRules($$"""{ "type": "field", "inboundTag": ["a"], {{condition}}, "outboundTag": "blocked" }""");

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Empty(Routing(result).Rules);
        Assert.Contains(result.Warnings, w => w.Path == "routing.rules[0]");
    }

    [Fact]
    public void Validate_should_honour_a_rule_whose_other_conditions_are_empty_as_V2Ray_applies_none()
    {
        Assert.Single(Routing(LoadRules("""{ "type": "field", "inboundTag": ["a"], "domain": [], "outboundTag": "blocked" }""")).Rules);
    }

    [Fact]
    public void Validate_should_ignore_a_balancer_rule_with_a_warning()
    {
        var result = LoadRules("""{ "type": "field", "inboundTag": ["a"], "balancerTag": "lb" }""");

        Assert.Empty(Routing(result).Rules);
        Assert.Contains(result.Warnings, w => w.Path == "routing.rules[0]");
    }

    [Fact]
    public void Validate_should_report_a_rule_without_outboundTag_or_balancerTag()
    {
        var error = Samples.SingleError(LoadRules("""{ "type": "field", "inboundTag": ["a"] }"""), "routing.rules[0].outboundTag");

        Assert.StartsWith("required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_report_an_outboundTag_that_names_no_outbound()
    {
        var error = Samples.SingleError(LoadRules("""{ "type": "field", "inboundTag": ["a"], "outboundTag": "proxy" }"""),
            "routing.rules[0].outboundTag");

        Assert.Equal("no outbound has the tag 'proxy'", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_inboundTag_that_names_no_inbound()
    {
        var error = Samples.SingleError(LoadRules("""{ "type": "field", "inboundTag": ["a", "c"], "outboundTag": "blocked" }"""),
            "routing.rules[0].inboundTag[1]");

        Assert.Equal("no inbound has the tag 'c'", error.Message);
    }

    [Fact]
    public void Validate_should_report_a_rule_with_no_condition_as_V2Ray_refuses_it()
    {
        Samples.SingleError(LoadRules("""{ "type": "field", "outboundTag": "blocked" }"""), "routing.rules[0].inboundTag");
    }

    [Fact]
    public void Validate_should_report_a_rule_without_a_type_as_V2Ray_does()
    {
        Samples.SingleError(LoadRules("""{ "inboundTag": ["a"], "outboundTag": "blocked" }"""), "routing.rules[0].type");
    }

    [Fact]
    public void Validate_should_report_an_unknown_rule_type()
    {
        var error = Samples.SingleError(LoadRules("""{ "type": "chinaip", "inboundTag": ["a"], "outboundTag": "blocked" }"""),
            "routing.rules[0].type");

        Assert.Equal("unknown rule type 'chinaip'; expected 'field'", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_unknown_rule_property_with_a_suggestion()
    {
        var result = LoadRules("""{ "type": "field", "inboundTags": ["a"], "outboundTag": "blocked" }""");

        Assert.Contains(new ConfigIssue("routing.rules[0].inboundTags", "unknown property 'inboundTags'; did you mean 'inboundTag'?"), result.Errors);
    }

    [Theory]
    [InlineData("IPIfNonMatch")]
    [InlineData("AlwaysIP")]
    [InlineData("IPOnDemand")]
    public void Validate_should_warn_that_a_resolving_domain_strategy_is_ignored(string strategy)
    {
        var result = LoadRouting($$"""{ "domainStrategy": "{{strategy}}", "rules": [ { "type": "field", "inboundTag": ["a"], "outboundTag": "blocked" } ] }""");

        Assert.True(result.IsValid);
        Assert.Equal("routing.domainStrategy", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_accept_the_AsIs_domain_strategy_without_a_warning()
    {
        var result = LoadRouting("""{ "domainStrategy": "AsIs", "rules": [ { "type": "field", "inboundTag": ["a"], "outboundTag": "blocked" } ] }""");

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Validate_should_report_an_unknown_domain_strategy()
    {
        Samples.SingleError(LoadRouting("""{ "domainStrategy": "IPIfNotMatch" }"""), "routing.domainStrategy");
    }

    [Fact]
    public void Validate_should_warn_that_balancers_are_ignored()
    {
        var result = LoadRouting("""{ "balancers": [], "rules": [ { "type": "field", "inboundTag": ["a"], "outboundTag": "blocked" } ] }""");

        Assert.True(result.IsValid);
        Assert.Equal("routing.balancers", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_read_the_deprecated_settings_rules_after_the_top_level_ones_with_a_warning()
    {
        var result = LoadRouting("""
            {
              "rules": [ { "type": "field", "inboundTag": ["a"], "outboundTag": "blocked" } ],
              "settings": { "rules": [ { "type": "field", "inboundTag": ["b"], "outboundTag": "direct" } ] }
            }
            """);

        Assert.Equal(["a", "b"], Routing(result).Rules.Select(r => r.InboundTags[0]));
        Assert.Equal("routing.settings", Assert.Single(result.Warnings).Path);
    }
}
