using System.Collections.Immutable;
using System.Text.Json;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>routing</c> → <see cref="RoutingOptions"/> (infra/conf/router.go). Only field rules whose one condition is
/// <c>inboundTag</c> are honoured; a rule with any other condition, or aimed at a balancer, is left out with a
/// warning, since honouring part of it would send traffic where the operator did not mean it to go.
/// </summary>
internal static class RoutingValidator
{
    private const string IgnoredRule = "only inboundTag rules are supported; this rule is ignored";

    private static readonly string[] DomainStrategies = ["AsIs", "AlwaysIP", "IPIfNonMatch", "IPOnDemand"];

    public static RoutingOptions? Validate(
        RoutingJson? json, string path, IReadOnlySet<string> inboundTags, IReadOnlySet<string> outboundTags, ConfigIssueCollector issues)
    {
        if (json is null)
        {
            return null;
        }

        var settingsPath = JsonPath.Property(path, "settings");
        if (json.Settings is not null)
        {
            issues.Warning(settingsPath, "deprecated: move 'rules' and 'domainStrategy' out of 'settings'");
        }
        // As in V2Ray: the top-level domainStrategy wins, and settings.rules come after the top-level rules.
        if (json.DomainStrategy is not null)
        {
            CheckDomainStrategy(json.DomainStrategy, JsonPath.Property(path, "domainStrategy"), issues);
        }
        else if (json.Settings?.DomainStrategy is { } old)
        {
            CheckDomainStrategy(old, JsonPath.Property(settingsPath, "domainStrategy"), issues);
        }

        var rules = ImmutableArray.CreateBuilder<RoutingRule>();
        var context = new RuleContext(inboundTags, outboundTags, issues);
        AddRules(json.Rules, JsonPath.Property(path, "rules"), context, rules);
        AddRules(json.Settings?.Rules, JsonPath.Property(settingsPath, "rules"), context, rules);
        return new RoutingOptions(rules.ToImmutable());
    }

    /// <summary>V2Ray's spellings, ignoring case; V2Ray reads an unknown one as AsIs.</summary>
    private static void CheckDomainStrategy(string text, string path, ConfigIssueCollector issues)
    {
        switch (text.ToLowerInvariant())
        {
            case "" or "asis":
                return;
            case "alwaysip" or "always_ip" or "always-ip" or "ipifnonmatch" or "ip_if_non_match" or "ip-if-non-match"
                or "ipondemand" or "ip_on_demand" or "ip-on-demand":
                issues.Warning(path, "ignored: rules match inbound tags only, so no domain is ever resolved for routing (as 'AsIs')");
                return;
            default:
                issues.Error(path, Checks.Unknown("domainStrategy", text, DomainStrategies));
                return;
        }
    }

    private static void AddRules(
        List<RoutingRuleJson?>? rules, string path, RuleContext context, ImmutableArray<RoutingRule>.Builder result)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            if (rules![i] is { } rule && ValidateRule(rule, JsonPath.Index(path, i), context) is { } options)
            {
                result.Add(options);
            }
        }
    }

    private static RoutingRule? ValidateRule(RoutingRuleJson rule, string path, RuleContext context)
    {
        var issues = context.Issues;
        var typePath = JsonPath.Property(path, "type");
        var typeIsField = string.Equals(rule.Type, "field", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(rule.Type))
        {
            issues.Missing(typePath, "required: 'field'");
        }
        else if (!typeIsField)
        {
            issues.Error(typePath, Checks.Unknown("rule type", rule.Type, ["field"]));
        }

        // V2Ray takes outboundTag first, then balancerTag, and refuses a rule with neither.
        var outboundTag = Checks.NullIfEmpty(rule.OutboundTag);
        if (outboundTag is null && string.IsNullOrEmpty(rule.BalancerTag))
        {
            issues.Missing(JsonPath.Property(path, "outboundTag"), "required: the tag of the outbound this traffic goes to");
            return null;
        }
        if (!typeIsField)
        {
            return null;
        }
        if (outboundTag is null)
        {
            issues.Warning(path, $"{IgnoredRule} (balancers are not supported)");
            return null;
        }
        if (!string.IsNullOrEmpty(rule.BalancerTag))
        {
            issues.Warning(JsonPath.Property(path, "balancerTag"), "ignored: outboundTag takes precedence, as in V2Ray");
        }

        var others = OtherConditions(rule);
        if (others.Count > 0)
        {
            issues.Warning(path, $"{IgnoredRule} (it also matches on {string.Join(", ", others)})");
            return null;
        }

        var inboundTagPath = JsonPath.Property(path, "inboundTag");
        var inboundTags = ReadStringList(rule.InboundTag, inboundTagPath, issues);
        if (inboundTags is null)
        {
            return null;
        }
        if (inboundTags.Count == 0)
        {
            // V2Ray refuses a rule without conditions ("this rule has no effective fields").
            issues.Missing(inboundTagPath, "required: the tags of the inbounds whose traffic this rule sends");
            return null;
        }

        var valid = true;
        foreach (var (tag, tagPath) in inboundTags)
        {
            if (!context.InboundTags.Contains(tag))
            {
                issues.Error(tagPath, $"no inbound has the tag '{tag}'");
                valid = false;
            }
        }
        if (!context.OutboundTags.Contains(outboundTag))
        {
            issues.Error(JsonPath.Property(path, "outboundTag"), $"no outbound has the tag '{outboundTag}'");
            valid = false;
        }
        return valid ? new RoutingRule([.. inboundTags.Select(t => t.Tag)], outboundTag) : null;
    }

    /// <summary>The conditions besides inboundTag that V2Ray would apply; an empty list or string applies none.</summary>
    private static List<string> OtherConditions(RoutingRuleJson rule)
    {
        (string Name, JsonElement? Value)[] conditions =
        [
            ("domain", rule.Domain), ("domains", rule.Domains), ("ip", rule.Ip), ("port", rule.Port),
            ("network", rule.Network), ("source", rule.Source), ("sourcePort", rule.SourcePort), ("user", rule.User),
            ("protocol", rule.Protocol), ("attrs", rule.Attrs),
        ];
        return [.. conditions.Where(c => c.Value is { } value && !IsEmpty(value)).Select(c => c.Name)];
    }

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.String => value.GetString()!.Length == 0,
        _ => false,
    };

    /// <summary>V2Ray's <c>StringList</c>: an array of strings, or one string split at each comma.</summary>
    private static List<(string Tag, string Path)>? ReadStringList(JsonElement? element, string path, ConfigIssueCollector issues)
    {
        switch (element)
        {
            case null:
                return [];
            case { ValueKind: JsonValueKind.String } text:
                return [.. text.GetString()!.Split(',').Select(tag => (tag, path))];
            case { ValueKind: JsonValueKind.Array } array:
                var tags = new List<(string, string)>();
                var valid = true;
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var itemPath = JsonPath.Index(path, index++);
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        tags.Add((item.GetString()!, itemPath));
                    }
                    else
                    {
                        issues.Error(itemPath, $"expected a string, got {JsonBinder.Describe(item)}");
                        valid = false;
                    }
                }
                return valid ? tags : null;
            case var other:
                issues.Error(path, $"expected an array of tags, got {JsonBinder.Describe(other.Value)}");
                return null;
        }
    }

    private sealed record RuleContext(IReadOnlySet<string> InboundTags, IReadOnlySet<string> OutboundTags, ConfigIssueCollector Issues);
}
