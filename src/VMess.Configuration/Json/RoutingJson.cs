namespace VMess.Configuration.Json;

/// <summary>
/// <c>routing</c> (infra/conf/router.go, <c>RouterConfig</c>). <c>balancers</c> is listed in
/// <see cref="V2RayFeatures"/>: this node has none.
/// </summary>
internal sealed class RoutingJson
{
    public string? DomainStrategy { get; set; }

    public List<RoutingRuleJson?>? Rules { get; set; }

    /// <summary>The older place for the rules and the domain strategy; V2Ray still reads it.</summary>
    public RoutingSettingsJson? Settings { get; set; }
}
