namespace VMess.Configuration.Json;

/// <summary>
/// Property names that V2Ray 4.34 understands but the DTOs do not declare. Real features this node does not
/// implement are warnings, so an operator's existing config still loads; forms that would silently lose listeners
/// (the deprecated 3.x <c>inbound</c>/<c>outbound</c> sections) are errors. Any other undeclared name is an error.
/// </summary>
internal static class V2RayFeatures
{
    public const string Ignored = "ignored: not supported by this node";

    private static readonly Dictionary<(Type Owner, string Name), Feature> Known = new()
    {
        // infra/conf/v2ray.go, Config
        [(typeof(V2RayConfigJson), "dns")] = Warn(Ignored),
        [(typeof(V2RayConfigJson), "transport")] = Warn(Ignored),
        [(typeof(V2RayConfigJson), "reverse")] = Warn(Ignored),
        [(typeof(V2RayConfigJson), "port")] = Fail("the V2Ray 3.x top-level 'port' is not supported; set 'port' in 'inbounds'"),
        [(typeof(V2RayConfigJson), "inbound")] = Fail("the V2Ray 3.x 'inbound' section is not supported; use 'inbounds'"),
        [(typeof(V2RayConfigJson), "inboundDetour")] = Fail("the V2Ray 3.x 'inboundDetour' section is not supported; use 'inbounds'"),
        [(typeof(V2RayConfigJson), "outbound")] = Fail("the V2Ray 3.x 'outbound' section is not supported; use 'outbounds'"),
        [(typeof(V2RayConfigJson), "outboundDetour")] = Fail("the V2Ray 3.x 'outboundDetour' section is not supported; use 'outbounds'"),

        // infra/conf/v2ray.go, InboundDetourConfig
        [(typeof(InboundJson), "sniffing")] = Warn(Ignored),
        [(typeof(InboundJson), "domainOverride")] = Warn(Ignored),

        // infra/conf/v2ray.go, OutboundDetourConfig
        [(typeof(OutboundJson), "sendThrough")] = Warn(Ignored + " (the OS picks the source address)"),
        [(typeof(OutboundJson), "proxySettings")] = Warn(Ignored),

        // infra/conf/transport_internet.go, StreamConfig: only plain TCP is supported, so these never apply.
        [(typeof(StreamSettingsJson), "tlsSettings")] = Warn(Ignored),
        [(typeof(StreamSettingsJson), "kcpSettings")] = Warn(Ignored),
        [(typeof(StreamSettingsJson), "wsSettings")] = Warn(Ignored),
        [(typeof(StreamSettingsJson), "httpSettings")] = Warn(Ignored),
        [(typeof(StreamSettingsJson), "dsSettings")] = Warn(Ignored),
        [(typeof(StreamSettingsJson), "quicSettings")] = Warn(Ignored),
        [(typeof(StreamSettingsJson), "sockopt")] = Warn(Ignored),

        // infra/conf/router.go, RouterConfig
        [(typeof(RoutingJson), "balancers")] = Warn(Ignored + " (rules that name a balancerTag are ignored too)"),

        // infra/conf/socks.go, SocksServerConfig
        [(typeof(SocksSettingsJson), "timeout")] = Warn(Ignored + " (deprecated in V2Ray; use policy.levels connIdle)"),

        // infra/conf/freedom.go, FreedomConfig
        [(typeof(FreedomSettingsJson), "timeout")] = Warn(Ignored + " (deprecated in V2Ray; use policy.levels connIdle)"),
    };

    public static bool TryGet(Type owner, string name, out Feature feature) => Known.TryGetValue((owner, name), out feature);

    /// <summary>The undeclared names V2Ray knows on <paramref name="owner"/>, for spelling suggestions.</summary>
    public static IEnumerable<string> NamesOf(Type owner) => Known.Keys.Where(k => k.Owner == owner).Select(k => k.Name);

    private static Feature Warn(string message) => new(IsError: false, message);

    private static Feature Fail(string message) => new(IsError: true, message);

    internal readonly record struct Feature(bool IsError, string Message);
}
