using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>inbounds[i].allocate</c> → <see cref="PortAllocation"/> (infra/conf/v2ray.go, <c>InboundDetourAllocationConfig</c>;
/// defaults from app/proxyman/config.go; minimums from V2Ray's documentation). Whether anyone learns the random
/// ports (a vmess detour names the inbound) is checked by <see cref="NodeValidator"/>.
/// </summary>
internal static class AllocateValidator
{
    private static readonly string[] Strategies = ["always", "random"];

    /// <summary>V2Ray's defaults when "random" leaves them out.</summary>
    public const int DefaultRefreshMinutes = 5;
    public const int DefaultConcurrency = 3;

    /// <summary>V2Ray documents these minimums without enforcing them; below them the ports churn or none open.</summary>
    public const int MinRefreshMinutes = 2;
    public const int MinConcurrency = 1;

    /// <summary>
    /// Null after an error. <paramref name="ports"/> is the inbound's port or range, or null when that was wrong
    /// (already reported), which skips the checks against it.
    /// </summary>
    public static PortAllocation? Validate(AllocateJson? json, string path, PortRange? ports, ConfigIssueCollector issues)
    {
        if (json is null)
        {
            return PortAllocation.Always;
        }

        var strategyPath = JsonPath.Property(path, "strategy");
        switch (json.Strategy?.ToLowerInvariant())
        {
            case null or "":
                // V2Ray has no default strategy: an allocate without one fails to load.
                issues.Missing(strategyPath, $"required: {Checks.OneOf(Strategies)}");
                return null;
            case "always":
                WarnIgnored(json.Refresh, JsonPath.Property(path, "refresh"), issues);
                WarnIgnored(json.Concurrency, JsonPath.Property(path, "concurrency"), issues);
                return PortAllocation.Always;
            case "random":
                return ValidateRandom(json, path, ports, issues);
            case "external":
                issues.Error(strategyPath, "strategy 'external' is not supported (V2Ray 4.34 refuses to start with it too)");
                return null;
            default:
                issues.Error(strategyPath, Checks.Unknown("strategy", json.Strategy, Strategies));
                return null;
        }
    }

    private static PortAllocation? ValidateRandom(AllocateJson json, string path, PortRange? ports, ConfigIssueCollector issues)
    {
        var valid = true;
        var refresh = json.Refresh ?? DefaultRefreshMinutes;
        if (refresh is < MinRefreshMinutes or > uint.MaxValue)
        {
            issues.Error(JsonPath.Property(path, "refresh"),
                $"{refresh} is out of range {MinRefreshMinutes}..{uint.MaxValue} (minutes; V2Ray's documented minimum is {MinRefreshMinutes})");
            valid = false;
        }

        var concurrencyPath = JsonPath.Property(path, "concurrency");
        var concurrency = json.Concurrency ?? DefaultConcurrency;
        if (concurrency is < MinConcurrency or > ushort.MaxValue)
        {
            issues.Error(concurrencyPath, $"{concurrency} is out of range {MinConcurrency}..{ushort.MaxValue}");
            return null;
        }

        if (ports is { } range)
        {
            if (range.IsSingle)
            {
                issues.Error(JsonPath.Property(path, "strategy"),
                    $"'random' needs a port range such as '10000-10010' in 'port', not the single port {range.First}");
                return null;
            }

            // The default concurrency is checked too: V2Ray checks only an explicit one, then never finds a free port.
            var (where, what) = json.Concurrency is null
                ? (path, $"the default {DefaultConcurrency} random ports")
                : (concurrencyPath, $"{concurrency} random ports");
            if (concurrency >= range.Count)
            {
                issues.Error(where, $"not enough ports: {what} need a range of more than {concurrency} ports, and {range} has {range.Count}");
                valid = false;
            }
            else if (concurrency * 3 > range.Count)
            {
                issues.Warning(where,
                    $"{what} are more than a third of the {range.Count} ports of {range}, V2Ray's documented maximum: each set stays open for two refresh periods, so a new set may find too few free ports");
            }
        }

        return valid ? new PortAllocation(PortAllocationStrategy.Random, TimeSpan.FromMinutes(refresh), (int)concurrency) : null;
    }

    private static void WarnIgnored(long? value, string path, ConfigIssueCollector issues)
    {
        if (value is not null)
        {
            issues.Warning(path, "ignored: only strategy 'random' uses it");
        }
    }
}
