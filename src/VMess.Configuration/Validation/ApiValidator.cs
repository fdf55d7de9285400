using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>api</c> → <see cref="ApiOptions"/> (infra/conf/api.go and app/commander). V2Ray serves the API as an outbound
/// named <c>api.tag</c>: a routing rule sends an inbound there (a dokodemo-door on, say, 127.0.0.1:10085), and its
/// connections reach the gRPC server. Here the gRPC server listens on that inbound's address itself.
/// </summary>
internal static class ApiValidator
{
    private static readonly string[] ServiceNames = ["HandlerService", "StatsService", "LoggerService", "ReflectionService"];

    /// <summary>The tag and services of <c>api</c>; null when there is none or it has no tag (an error).</summary>
    public static ApiSection? ValidateSection(ApiJson? json, bool statsEnabled, IReadOnlyList<OutboundJson?> outbounds, ConfigIssueCollector issues)
    {
        if (json is null)
        {
            return null;
        }
        const string path = "api";
        var services = ReadServices(json.Services, JsonPath.Property(path, "services"), statsEnabled, issues);
        if (Checks.NullIfEmpty(json.Tag) is not { } tag)
        {
            issues.Missing(JsonPath.Property(path, "tag"), "required: the outboundTag that routing sends the API's inbound to (V2Ray: \"API tag can't be empty\")");
            return null;
        }
        for (var i = 0; i < outbounds.Count; i++)
        {
            if (outbounds[i]?.Tag == tag)
            {
                issues.Error(JsonPath.Property(JsonPath.Index("outbounds", i), "tag"), $"'{tag}' is the API's tag (api.tag): traffic routed there goes to the API");
                return null;
            }
        }
        return new ApiSection(tag, services);
    }

    /// <summary>
    /// The API once routing is known: the one inbound that a rule sends to the API's tag serves it. Without such a
    /// rule V2Ray would start with an API nobody can reach; here that is a warning and no API.
    /// </summary>
    public static ApiOptions? Complete(ApiSection section, RoutingOptions routing, IReadOnlyList<InboundJson?> inbounds, ConfigIssueCollector issues)
    {
        var routed = RoutedInboundTags(section, routing);
        switch (routed.Count)
        {
            case 0:
                issues.Warning("api", $"no routing rule sends an inbound to '{section.Tag}', so the API is not served; add a dokodemo-door " +
                    $"inbound and the rule {{ \"type\": \"field\", \"inboundTag\": [\"{section.Tag}\"], \"outboundTag\": \"{section.Tag}\" }}");
                return null;
            case > 1:
                issues.Error(JsonPath.Property("api", "tag"),
                    $"routing sends inbounds {Checks.OneOf(routed).Replace(" or ", " and ", StringComparison.Ordinal)} to the API: one inbound serves it here");
                return null;
        }
        var index = IndexOf(inbounds, routed[0]);
        var endPoint = InboundValidator.ValidateApiInbound(inbounds[index]!, JsonPath.Index("inbounds", index), section.Tag, issues);
        return endPoint is null ? null : new ApiOptions(section.Tag, section.Services, routed[0], endPoint);
    }

    /// <summary>The tags of the inbounds that routing sends to the API (the rules' inbound tags all name inbounds).</summary>
    public static IReadOnlyList<string> RoutedInboundTags(ApiSection? section, RoutingOptions routing) =>
        section is null
            ? []
            : [.. routing.Rules.Where(r => r.OutboundTag == section.Tag).SelectMany(r => r.InboundTags).Distinct(StringComparer.Ordinal)];

    /// <summary>The routing rules the relay follows: those that send to the API are the API's own.</summary>
    public static RoutingOptions WithoutApiRules(RoutingOptions routing, ApiSection? section) =>
        section is null ? routing : new RoutingOptions([.. routing.Rules.Where(r => r.OutboundTag != section.Tag)]);

    private static int IndexOf(IReadOnlyList<InboundJson?> inbounds, string tag)
    {
        for (var i = 0; i < inbounds.Count; i++)
        {
            if (inbounds[i]?.Tag == tag) return i;
        }
        throw new InvalidOperationException($"routing validated the inbound tag '{tag}', yet no inbound has it");
    }

    /// <summary>V2Ray's names, ignoring case; an unknown name, which V2Ray skips silently, is an error here.</summary>
    private static ApiServices ReadServices(List<string?>? names, string path, bool statsEnabled, ConfigIssueCollector issues)
    {
        if (names is null || names.Count == 0)
        {
            issues.Warning(path, "no services: the API answers every call with UNIMPLEMENTED");
            return ApiServices.None;
        }
        var services = ApiServices.None;
        for (var i = 0; i < names.Count; i++)
        {
            var itemPath = JsonPath.Index(path, i);
            switch (names[i]?.ToLowerInvariant())
            {
                case null:
                    issues.Error(itemPath, $"expected a service name: {Checks.OneOf(ServiceNames)}");
                    break;
                case "handlerservice":
                    services |= ApiServices.Handler;
                    break;
                case "statsservice":
                    services |= ApiServices.Stats;
                    if (!statsEnabled)
                    {
                        issues.Warning(itemPath, "V2Ray counts nothing without a top-level \"stats\": {}; this node serves the cluster's counters either way");
                    }
                    break;
                case "loggerservice":
                    services |= ApiServices.Logger;
                    break;
                case "reflectionservice":
                    issues.Warning(itemPath, V2RayFeatures.Ignored);
                    break;
                default:
                    issues.Error(itemPath, Checks.Unknown("service", names[i]!, ServiceNames));
                    break;
            }
        }
        return services;
    }
}

/// <summary><c>api</c> as read before routing: its tag and services.</summary>
internal sealed record ApiSection(string Tag, ApiServices Services);
