using System.Text.Json;

namespace VMess.Configuration.Json;

/// <summary>
/// <c>routing.rules[i]</c> (infra/conf/router.go, <c>RouterRule</c> and <c>parseFieldRule</c>). Only
/// <see cref="InboundTag"/> is honoured; the other conditions are kept raw, just to tell that they are there.
/// </summary>
internal sealed class RoutingRuleJson
{
    public string? Type { get; set; }

    public string? OutboundTag { get; set; }

    public string? BalancerTag { get; set; }

    /// <summary>An array of tags or one string of comma-separated tags, as V2Ray's <c>StringList</c>.</summary>
    public JsonElement? InboundTag { get; set; }

    public JsonElement? Domain { get; set; }

    public JsonElement? Domains { get; set; }

    public JsonElement? Ip { get; set; }

    public JsonElement? Port { get; set; }

    public JsonElement? Network { get; set; }

    public JsonElement? Source { get; set; }

    public JsonElement? SourcePort { get; set; }

    public JsonElement? User { get; set; }

    public JsonElement? Protocol { get; set; }

    public JsonElement? Attrs { get; set; }
}
