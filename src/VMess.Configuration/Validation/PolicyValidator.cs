using System.Collections.Immutable;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>policy</c> → <see cref="PolicyOptions"/>. Each named level starts from <see cref="LevelPolicy.Default"/> and
/// takes only the fields it sets, as V2Ray 4.34 merges them (app/policy/manager.go <c>New</c>,
/// app/policy/config.go <c>overrideWith</c>).
/// </summary>
internal static class PolicyValidator
{
    /// <summary>V2Ray reads the timeouts into uint32 seconds.</summary>
    private const long MaxSeconds = uint.MaxValue;

    /// <summary>V2Ray multiplies KiB by 1024 in an int32; past this it would overflow.</summary>
    private const long MaxBufferKiB = int.MaxValue / 1024;

    public static PolicyOptions Validate(PolicyJson? json, string path, ConfigIssueCollector issues)
    {
        if (json is null)
        {
            return PolicyOptions.Default;
        }

        var levels = ImmutableDictionary.CreateBuilder<int, LevelPolicy>();
        var levelsPath = JsonPath.Property(path, "levels");
        foreach (var (key, level) in json.Levels ?? [])
        {
            var levelPath = JsonPath.Key(levelsPath, key);
            if (!Checks.TryParseDigits(key, out var number) || number > int.MaxValue)
            {
                issues.Error(levelPath, $"'{key}' is not a level: expected a non-negative integer such as \"0\"");
                continue;
            }
            if (levels.ContainsKey((int)number))
            {
                issues.Error(levelPath, $"level {number} is given twice");
                continue;
            }
            if (level is not null) // V2Ray skips a null level too.
            {
                levels[(int)number] = ValidateLevel(level, levelPath, issues);
            }
        }

        var system = json.System is { } s
            ? new SystemPolicy(
                s.StatsInboundUplink ?? false,
                s.StatsInboundDownlink ?? false,
                s.StatsOutboundUplink ?? false,
                s.StatsOutboundDownlink ?? false)
            : SystemPolicy.Default;
        return new PolicyOptions(levels.ToImmutable(), system);
    }

    private static LevelPolicy ValidateLevel(LevelPolicyJson json, string path, ConfigIssueCollector issues)
    {
        var defaults = LevelPolicy.Default;
        return new LevelPolicy(
            Seconds(json.Handshake, defaults.Handshake, JsonPath.Property(path, "handshake"), issues),
            Seconds(json.ConnIdle, defaults.ConnectionIdle, JsonPath.Property(path, "connIdle"), issues),
            Seconds(json.UplinkOnly, defaults.UplinkOnly, JsonPath.Property(path, "uplinkOnly"), issues),
            Seconds(json.DownlinkOnly, defaults.DownlinkOnly, JsonPath.Property(path, "downlinkOnly"), issues),
            BufferBytes(json.BufferSize, defaults.BufferSizeBytes, JsonPath.Property(path, "bufferSize"), issues),
            json.StatsUserUplink ?? false,
            json.StatsUserDownlink ?? false);
    }

    private static TimeSpan Seconds(long? seconds, TimeSpan absent, string path, ConfigIssueCollector issues) =>
        seconds is null ? absent : TimeSpan.FromSeconds(Checks.InRange(seconds, 0, MaxSeconds, 0, path, issues));

    /// <summary>KiB → bytes; any negative size means unlimited (infra/conf/policy.go).</summary>
    private static int BufferBytes(long? kib, int absent, string path, ConfigIssueCollector issues)
    {
        switch (kib)
        {
            case null:
                return absent;
            case < 0 and >= int.MinValue:
                return LevelPolicy.UnlimitedBuffer;
            case >= 0 and <= MaxBufferKiB:
                return (int)kib.Value * 1024;
            default:
                issues.Error(path, $"{kib} is out of range: give KiB from 0 to {MaxBufferKiB}, or -1 for no limit");
                return absent;
        }
    }
}
