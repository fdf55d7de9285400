using System.Collections.Immutable;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// The whole config → <see cref="NodeOptions"/>: runs every section's validator, then the checks that span
/// sections (unique tags, detour targets). Returns null when any error was reported, after reporting them all.
/// </summary>
internal static class NodeValidator
{
    public static NodeOptions? Validate(V2RayConfigJson json, JsonBinder binder, ConfigIssueCollector issues)
    {
        var log = LogValidator.Validate(json.Log, "log", issues);
        var inbounds = ValidateInbounds(json.Inbounds ?? [], binder, issues);
        var outbounds = ValidateOutbounds(json.Outbounds ?? [], binder, issues);
        var policy = PolicyValidator.Validate(json.Policy, "policy", issues);
        return issues.HasErrors ? null : new NodeOptions(log, inbounds, outbounds, policy);
    }

    private static ImmutableArray<InboundOptions> ValidateInbounds(
        List<InboundJson?> inbounds, JsonBinder binder, ConfigIssueCollector issues)
    {
        var tags = UniqueTags(inbounds.Select(i => i?.Tag).ToList(), "inbounds", issues);
        var result = ImmutableArray.CreateBuilder<InboundOptions>(inbounds.Count);
        for (var i = 0; i < inbounds.Count; i++)
        {
            if (inbounds[i] is { } inbound
                && InboundValidator.Validate(inbound, JsonPath.Index("inbounds", i), tags, binder, issues) is { } options)
            {
                result.Add(options);
            }
        }

        if (inbounds.Count == 0)
        {
            issues.Warning("inbounds", "no inbounds: this node accepts no connections");
        }
        var detourTargets = result.Select(i => i.VMess?.DetourTo).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < result.Count; i++)
        {
            // A detour target may rightly have no clients: it serves the users that detour to it.
            if (result[i].VMess is { Clients.IsEmpty: true } && (result[i].Tag is null || !detourTargets.Contains(result[i].Tag!)))
            {
                issues.Warning(JsonPath.Property(JsonPath.Property(JsonPath.Index("inbounds", i), "settings"), "clients"), "no clients: this inbound accepts no one");
            }
        }
        return result.ToImmutable();
    }

    /// <summary>No outbounds means one default freedom outbound; see <see cref="NodeOptions"/>.</summary>
    private static ImmutableArray<OutboundOptions> ValidateOutbounds(
        List<OutboundJson?> outbounds, JsonBinder binder, ConfigIssueCollector issues)
    {
        if (outbounds.Count == 0)
        {
            return [OutboundOptions.DefaultFreedom];
        }

        UniqueTags(outbounds.Select(o => o?.Tag).ToList(), "outbounds", issues);
        var result = ImmutableArray.CreateBuilder<OutboundOptions>(outbounds.Count);
        for (var i = 0; i < outbounds.Count; i++)
        {
            if (outbounds[i] is { } outbound
                && OutboundValidator.Validate(outbound, JsonPath.Index("outbounds", i), binder, issues) is { } options)
            {
                result.Add(options);
            }
        }
        if (outbounds.Count > 1)
        {
            issues.Warning("outbounds", "only outbounds[0] carries traffic: routing is not supported");
        }
        return result.ToImmutable();
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
