using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary><c>log</c> → <see cref="LogOptions"/>, with V2Ray 4.34's meanings (infra/conf/log.go).</summary>
internal static class LogValidator
{
    private static readonly string[] Levels = ["debug", "info", "warning", "error", "none"];

    public static LogOptions Validate(LogJson? json, string path, ConfigIssueCollector issues)
    {
        if (json is null)
        {
            return LogOptions.Default;
        }

        var level = ParseLevel(json.Loglevel, JsonPath.Property(path, "loglevel"), issues);
        var accessEnabled = json.Access != "none" && level != LogLevel.None;
        var accessPath = accessEnabled ? Checks.NullIfEmpty(json.Access) : null;
        if (json.Error == "none")
        {
            level = LogLevel.None;
        }
        var errorPath = level == LogLevel.None ? null : Checks.NullIfEmpty(json.Error);
        return new LogOptions(level, accessPath, accessEnabled, errorPath);
    }

    private static LogLevel ParseLevel(string? text, string path, ConfigIssueCollector issues)
    {
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "warning":
                return LogLevel.Warning;
            case "debug":
                return LogLevel.Debug;
            case "info":
                return LogLevel.Info;
            case "error":
                return LogLevel.Error;
            case "none":
                return LogLevel.None;
            default:
                // V2Ray falls back to warning without a word; a typo here should not go unnoticed.
                issues.Error(path, Checks.Unknown("log level", text, Levels));
                return LogLevel.Warning;
        }
    }
}
