using System.Globalization;
using VMess.Api.V2Ray.App.Stats.Command;

namespace VMess.Cluster.Host.Operator;

/// <summary><c>vmess-cluster stats [--pattern P] [--reset]</c>: StatsService.QueryStats as a table, in name order.</summary>
internal static class StatsCommand
{
    public static readonly string[] Synopsis = ["stats [--pattern P] [--reset]"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, Func<string, string?> environment)
    {
        var parsed = OperatorArguments.Parse(args, "stats", 0, [.. ApiConnectionOptions.OptionNames, "--pattern"], ["--reset"]);
        var pattern = parsed.Value("--pattern") ?? "";
        var reset = parsed.Has("--reset");
        using var session = new ApiSession(ApiConnectionOptions.From(parsed, environment));
        var counters = (await session.CallAsync("StatsService.QueryStats",
            options => session.Stats.QueryStatsAsync(new QueryStatsRequest { Pattern = pattern, Reset = reset }, options))).Stat;
        if (counters.Count == 0)
        {
            output.WriteLine(pattern.Length == 0 ? "no counters" : $"no counters match '{pattern}'");
            return 0;
        }
        TextTable.Write(output, ["NAME", "VALUE"], [false, true],
            counters.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => (IReadOnlyList<string>)[c.Name, c.Value.ToString(CultureInfo.InvariantCulture)]));
        output.WriteLine($"{counters.Count} counter(s)" + (reset ? ", now reset to 0 (the values are those before)" : ""));
        return 0;
    }
}
