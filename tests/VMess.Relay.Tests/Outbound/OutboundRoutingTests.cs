using VMess.Configuration.Options;
using VMess.Relay.Outbound;

namespace VMess.Relay.Tests.Outbound;

public sealed class OutboundRoutingTests
{
    private static readonly string?[] Outbounds = ["direct", "proxy", "block"];

    private static string? Route(string? inboundTag, params RoutingRule[] rules) =>
        OutboundRouting.Route(new RoutingOptions([.. rules]), Outbounds, tag => tag, inboundTag);

    [Fact]
    public void Traffic_no_rule_matches_goes_to_the_first_outbound() =>
        Assert.Equal("direct", Route("socks-in", new RoutingRule(["http-in"], "proxy")));

    [Fact]
    public void A_rule_naming_the_inbound_tag_sends_its_traffic_to_the_rule_outbound() =>
        Assert.Equal("proxy", Route("socks-in", new RoutingRule(["http-in", "socks-in"], "proxy")));

    [Fact]
    public void The_first_matching_rule_wins() =>
        Assert.Equal("block", Route("socks-in", new RoutingRule(["socks-in"], "block"), new RoutingRule(["socks-in"], "proxy")));

    [Fact]
    public void An_untagged_inbound_matches_no_rule() =>
        Assert.Equal("direct", Route(null, new RoutingRule(["socks-in"], "proxy")));
}
