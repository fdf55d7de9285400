using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>outbounds[i].mux</c> → <see cref="MuxOptions"/> (infra/conf/v2ray.go <c>MuxConfig</c>,
/// app/proxyman/outbound/handler.go). The vmess outbound multiplexes when it is enabled; other outbounds go without
/// it, which <see cref="OutboundValidator"/> warns about.
/// </summary>
internal static class MuxValidator
{
    /// <summary>V2Ray refuses to start with more (app/proxyman/outbound/handler.go, <c>NewHandler</c>).</summary>
    private const int MaxConcurrency = 1024;

    public static MuxOptions? Validate(MuxJson? json, string path, ConfigIssueCollector issues)
    {
        if (json is null)
        {
            return null;
        }

        // V2Ray reads concurrency as an int16: 0 means 8, and a negative one turns mux off whatever "enabled" says.
        var concurrencyPath = JsonPath.Property(path, "concurrency");
        var concurrency = json.Concurrency ?? 0;
        if (concurrency is < short.MinValue or > MaxConcurrency)
        {
            issues.Error(concurrencyPath, $"{concurrency} is out of range: give 1..{MaxConcurrency}, 0 for 8, or a negative number to turn mux off");
            return null;
        }
        if (concurrency < 0)
        {
            return MuxOptions.Default;
        }

        var enabled = json.Enabled ?? false;
        return new MuxOptions(enabled, concurrency == 0 ? MuxOptions.Default.Concurrency : (int)concurrency);
    }
}
