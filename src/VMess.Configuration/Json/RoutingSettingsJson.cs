namespace VMess.Configuration.Json;

/// <summary><c>routing.settings</c>, deprecated in V2Ray (infra/conf/router.go, <c>RouterRulesConfig</c>).</summary>
internal sealed class RoutingSettingsJson
{
    public string? DomainStrategy { get; set; }

    public List<RoutingRuleJson?>? Rules { get; set; }
}
