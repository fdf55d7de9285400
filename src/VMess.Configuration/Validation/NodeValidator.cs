using System.Collections.Immutable;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// The whole config → <see cref="NodeOptions"/>: runs every section's validator, then the checks that span
/// sections (unique tags, detour targets and their random ports, routing rules' tags). Returns null when any error was reported, after
/// reporting them all.
/// </summary>
internal static class NodeValidator
{
    public static NodeOptions? Validate(V2RayConfigJson json, JsonBinder binder, ConfigIssueCollector issues)
    {
        var log = LogValidator.Validate(json.Log, "log", issues);
        var inboundJsons = json.Inbounds ?? [];
        var inboundTags = UniqueTags(inboundJsons.Select(i => i?.Tag).ToList(), "inbounds", issues);
        var outboundJsons = json.Outbounds ?? [];
        var outboundTags = UniqueTags(outboundJsons.Select(o => o?.Tag).ToList(), "outbounds", issues);
        // Routing may send an inbound to the API's tag as if it were an outbound; that inbound is the API's.
        var apiSection = ApiValidator.ValidateSection(json.Api, json.Stats is not null, outboundJsons, issues);
        if (apiSection is not null) outboundTags.Add(apiSection.Tag);
        var routing = RoutingValidator.Validate(json.Routing, "routing", inboundTags, outboundTags, issues);
        var apiInbounds = ApiValidator.RoutedInboundTags(apiSection, routing ?? RoutingOptions.None).ToHashSet(StringComparer.Ordinal);
        var api = apiSection is null ? null : ApiValidator.Complete(apiSection, routing ?? RoutingOptions.None, inboundJsons, issues);
        var inbounds = ValidateInbounds(inboundJsons, ProtocolsByTag(inboundJsons), apiInbounds, binder, issues);
        var outbounds = ValidateOutbounds(outboundJsons, binder, issues);
        var policy = PolicyValidator.Validate(json.Policy, "policy", issues);
        routing = routing is null ? null : ApiValidator.WithoutApiRules(routing, apiSection);
        WarnAboutUnroutedOutbounds(outboundJsons, routing ?? RoutingOptions.None, issues);
        return issues.HasErrors ? null : new NodeOptions(log, inbounds, outbounds, policy, routing)
        {
            Api = api,
            StatsEnabled = json.Stats is not null,
        };
    }

    /// <summary>Every inbound but the API's (<paramref name="apiInbounds"/>, which <see cref="ApiValidator"/> reads).</summary>
    private static ImmutableArray<InboundOptions> ValidateInbounds(List<InboundJson?> inbounds, IReadOnlyDictionary<string, string> protocolsByTag,
        IReadOnlySet<string> apiInbounds, JsonBinder binder, ConfigIssueCollector issues)
    {
        var valid = new List<(string Path, InboundOptions Options)>(inbounds.Count);
        for (var i = 0; i < inbounds.Count; i++)
        {
            var path = JsonPath.Index("inbounds", i);
            if (inbounds[i] is { } inbound
                && !(inbound.Tag is { } tag && apiInbounds.Contains(tag))
                && InboundValidator.Validate(inbound, path, protocolsByTag, binder, issues) is { } options)
            {
                valid.Add((path, options));
            }
        }

        if (inbounds.Count == 0)
        {
            issues.Warning("inbounds", "no inbounds: this node accepts no connections");
        }
        var detourTargets = valid.Select(v => v.Options.VMess?.DetourTo).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (path, options) in valid)
        {
            var isDetourTarget = options.Tag is { } tag && detourTargets.Contains(tag);
            // A detour target may rightly have no clients: it serves the users that detour to it.
            if (options.VMess is { Clients.IsEmpty: true } && !isDetourTarget)
            {
                issues.Warning(JsonPath.Property(JsonPath.Property(path, "settings"), "clients"), "no clients: this inbound accepts no one");
            }
            // Clients learn random ports only from the switch command of a vmess inbound that detours to this one.
            if (options.Allocate.Strategy == PortAllocationStrategy.Random && !isDetourTarget)
            {
                issues.Warning(JsonPath.Property(JsonPath.Property(path, "allocate"), "strategy"),
                    "no vmess inbound's settings.detour.to names this inbound, so no client learns its random ports");
            }
        }
        return [.. valid.Select(v => v.Options)];
    }

    /// <summary>Each tagged inbound's protocol, lower-cased as V2Ray reads it ("" when absent); the first of a repeated tag.</summary>
    private static Dictionary<string, string> ProtocolsByTag(List<InboundJson?> inbounds)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var inbound in inbounds)
        {
            if (Checks.NullIfEmpty(inbound?.Tag) is { } tag)
            {
                result.TryAdd(tag, inbound!.Protocol?.ToLowerInvariant() ?? "");
            }
        }
        return result;
    }

    /// <summary>No outbounds means one default freedom outbound; see <see cref="NodeOptions"/>.</summary>
    private static ImmutableArray<OutboundOptions> ValidateOutbounds(
        List<OutboundJson?> outbounds, JsonBinder binder, ConfigIssueCollector issues)
    {
        if (outbounds.Count == 0)
        {
            return [OutboundOptions.DefaultFreedom];
        }

        var result = ImmutableArray.CreateBuilder<OutboundOptions>(outbounds.Count);
        for (var i = 0; i < outbounds.Count; i++)
        {
            if (outbounds[i] is { } outbound
                && OutboundValidator.Validate(outbound, JsonPath.Index("outbounds", i), binder, issues) is { } options)
            {
                result.Add(options);
            }
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// The first outbound takes what no rule matches; any other outbound that no honoured rule names is never used.
    /// </summary>
    private static void WarnAboutUnroutedOutbounds(List<OutboundJson?> outbounds, RoutingOptions routing, ConfigIssueCollector issues)
    {
        var routed = routing.Rules.Select(r => r.OutboundTag).ToHashSet(StringComparer.Ordinal);
        for (var i = 1; i < outbounds.Count; i++)
        {
            if (outbounds[i] is { } outbound && (Checks.NullIfEmpty(outbound.Tag) is not { } tag || !routed.Contains(tag)))
            {
                issues.Warning(JsonPath.Index("outbounds", i),
                    "never used: no routing rule sends traffic here, and what no rule matches goes to outbounds[0]");
            }
        }
    }

    /// <summary>
    /// V2Ray keeps only the last handler of a repeated tag (app/proxyman/inbound and outbound, <c>AddHandler</c>);
    /// here a repeated non-empty tag is an error.
    /// </summary>
    private static HashSet<string> UniqueTags(List<string?> tags, string path, ConfigIssueCollector issues)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrEmpty(tags[i]))
            {
                continue;
            }
            if (first.TryGetValue(tags[i]!, out var index))
            {
                issues.Error(JsonPath.Property(JsonPath.Index(path, i), "tag"), $"duplicate tag '{tags[i]}': {JsonPath.Index(path, index)} has it too");
            }
            else
            {
                first[tags[i]!] = i;
            }
        }
        return first.Keys.ToHashSet(StringComparer.Ordinal);
    }
}
