using System.Net;
using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class ApiValidatorTests
{
    /// <summary>The API as V2Ray's docs configure it: a dokodemo-door tagged "api", routed to the api tag; plus a vmess inbound "in".</summary>
    private static ConfigLoadResult LoadApi(
        string api = """{ "tag": "api", "services": ["HandlerService", "StatsService", "LoggerService"] }""",
        string apiInbound = """{ "tag": "api", "listen": "127.0.0.1", "port": 10085, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }""",
        string rules = """{ "type": "field", "inboundTag": ["api"], "outboundTag": "api" }""",
        string extra = "\"stats\": {},") =>
        ConfigLoader.Load($$"""
            {
              {{extra}}
              "api": {{api}},
              "inbounds": [
                { "tag": "in", "port": 1234, "protocol": "vmess", "settings": { "clients": [ { "id": "{{Samples.AliceId}}" } ] } },
                {{apiInbound}}
              ],
              "outbounds": [ { "tag": "direct", "protocol": "freedom" } ],
              "routing": { "rules": [ {{rules}} ] }
            }
            """);

    /// <summary>A dokodemo-door tagged "api" that forwards somewhere, valid as an ordinary inbound.</summary>
    private const string ForwardingDokodemo =
        """{ "tag": "api", "listen": "127.0.0.1", "port": 10085, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1", "port": 80 } }""";

    [Fact]
    public void Validate_should_read_the_api_as_V2Ray_configures_it()
    {
        var options = Samples.Valid(LoadApi());

        Assert.Equal(new ApiOptions("api", ApiServices.Handler | ApiServices.Stats | ApiServices.Logger, "api",
            new IPEndPoint(IPAddress.Loopback, 10085)), options.Api);
        Assert.True(options.StatsEnabled);
        Assert.Empty(LoadApi().Warnings);
    }

    [Fact]
    public void Validate_should_read_the_example_server_with_an_api_with_no_error_or_warning()
    {
        var result = ConfigLoader.LoadFile(Samples.ExamplePathOf("server-with-api.json"));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 10085), Samples.Valid(result).Api!.EndPoint);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Validate_should_leave_the_api_inbound_and_its_rule_to_the_api()
    {
        var options = Samples.Valid(LoadApi());

        Assert.Equal(["in"], options.Inbounds.Select(i => i.Tag));
        Assert.Empty(options.EffectiveRouting.Rules);
    }

    [Fact]
    public void Validate_should_find_the_api_inbound_by_the_rule_not_by_its_tag()
    {
        var options = Samples.Valid(LoadApi(
            apiInbound: """{ "tag": "api-in", "listen": "::1", "port": 0, "protocol": "dokodemo-door" }""",
            rules: """{ "type": "field", "inboundTag": "api-in", "outboundTag": "api" }"""));

        Assert.Equal(new ApiOptions("api", ApiServices.Handler | ApiServices.Stats | ApiServices.Logger, "api-in",
            new IPEndPoint(IPAddress.IPv6Loopback, 0)), options.Api);
    }

    [Fact]
    public void Validate_should_keep_the_rules_that_do_not_route_to_the_api()
    {
        var options = Samples.Valid(LoadApi(rules: """
            { "type": "field", "inboundTag": ["in"], "outboundTag": "direct" },
            { "type": "field", "inboundTag": ["api"], "outboundTag": "api" }
            """));

        Assert.Equal(new RoutingOptions([new RoutingRule(["in"], "direct")]), options.EffectiveRouting);
    }

    [Fact]
    public void Validate_should_read_service_names_ignoring_case_as_V2Ray_does()
    {
        Assert.Equal(ApiServices.Handler, Samples.Valid(LoadApi(api: """{ "tag": "api", "services": ["handlerservice"] }""")).Api!.Services);
    }

    [Fact]
    public void Validate_should_say_the_api_is_loopback_only_for_127_and_not_for_any_address()
    {
        Assert.True(Samples.Valid(LoadApi()).Api!.IsLoopbackOnly);
        Assert.False(Samples.Valid(LoadApi(apiInbound: """{ "tag": "api", "port": 10085, "protocol": "dokodemo-door" }""")).Api!.IsLoopbackOnly);
    }

    [Fact]
    public void Validate_should_report_an_api_without_a_tag()
    {
        var result = LoadApi(api: """{ "services": ["StatsService"] }""");

        Assert.Contains(result.Errors, e => e.Path == "api.tag" && e.Message.StartsWith("required", StringComparison.Ordinal));
        Assert.Null(result.Options);
    }

    [Fact]
    public void Validate_should_report_an_unknown_service_with_a_suggestion()
    {
        var error = Samples.SingleError(LoadApi(api: """{ "tag": "api", "services": ["StatService"] }"""), "api.services[0]");

        Assert.Equal("unknown service 'StatService'; did you mean 'StatsService'?", error.Message);
    }

    [Fact]
    public void Validate_should_warn_that_the_reflection_service_is_not_served()
    {
        var result = LoadApi(api: """{ "tag": "api", "services": ["ReflectionService", "StatsService"] }""");

        Assert.Equal(ApiServices.Stats, Samples.Valid(result).Api!.Services);
        Assert.Equal("api.services[0]", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_warn_when_the_stats_service_is_served_without_a_stats_object()
    {
        var result = LoadApi(extra: "");

        Assert.False(Samples.Valid(result).StatsEnabled);
        Assert.Equal("api.services[1]", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Validate_should_warn_and_serve_no_api_when_no_rule_routes_an_inbound_to_it()
    {
        var result = LoadApi(apiInbound: ForwardingDokodemo, rules: """{ "type": "field", "inboundTag": ["api"], "outboundTag": "direct" }""");

        var options = Samples.Valid(result);
        Assert.Null(options.Api);
        Assert.Contains(result.Warnings, w => w.Path == "api" && w.Message.Contains("no routing rule sends an inbound to 'api'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_should_report_an_api_inbound_that_is_not_a_dokodemo_door()
    {
        var error = Samples.SingleError(LoadApi(apiInbound: ForwardingDokodemo, rules: """{ "type": "field", "inboundTag": ["in"], "outboundTag": "api" }"""),
            "inbounds[0].protocol");

        Assert.Contains("must be a dokodemo-door inbound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_report_two_inbounds_routed_to_the_api()
    {
        var error = Samples.SingleError(LoadApi(rules: """{ "type": "field", "inboundTag": ["api", "in"], "outboundTag": "api" }"""),
            "api.tag");

        Assert.Equal("routing sends inbounds 'api' and 'in' to the API: one inbound serves it here", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_api_inbound_on_a_port_range()
    {
        var error = Samples.SingleError(LoadApi(apiInbound: """{ "tag": "api", "listen": "127.0.0.1", "port": "10085-10086", "protocol": "dokodemo-door" }"""),
            "inbounds[1].port");

        Assert.Equal("'10085-10086': the API listens on one port", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_outbound_that_has_the_api_tag()
    {
        var result = ConfigLoader.Load("""
            {
              "api": { "tag": "api", "services": ["StatsService"] },
              "stats": {},
              "outbounds": [ { "tag": "api", "protocol": "freedom" } ]
            }
            """);

        Assert.Contains(result.Errors, e => e.Path == "outbounds[0].tag" && e.Message.Contains("API's tag", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_should_still_report_a_rule_to_an_unknown_outbound_without_an_api()
    {
        var result = Samples.LoadWith("""
            "inbounds": [ { "port": 1234, "protocol": "vmess", "tag": "in", "settings": { "clients": [ { "id": "b831381d-6324-4d53-ad4f-8cda48b30811" } ] } } ],
            "routing": { "rules": [ { "type": "field", "inboundTag": ["in"], "outboundTag": "api" } ] }
            """);

        Assert.Contains(result.Errors, e => e.Message == "no outbound has the tag 'api'");
    }
}
