using VMess.Cluster.Host.Tests.Support;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary><c>vmess-cluster stats</c> against the API in this process, over counters set by the test.</summary>
public sealed class StatsCommandTests : IAsyncLifetime
{
    private StubApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await StubApi.StartAsync();
        _api.Traffic.Add("user>>>bob@example.com>>>traffic>>>uplink", 2048);
        _api.Traffic.Add("user>>>alice@example.com>>>traffic>>>downlink", 1234567);
        _api.Traffic.Add("inbound>>>vmess-in>>>traffic>>>uplink", 7);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Stats_should_print_every_counter_in_a_table_in_name_order()
    {
        var stats = await RunAsync("stats");

        Assert.True(stats.ExitCode == 0, stats.ToString());
        Assert.Equal("""
            NAME                                             VALUE
            inbound>>>vmess-in>>>traffic>>>uplink                7
            user>>>alice@example.com>>>traffic>>>downlink  1234567
            user>>>bob@example.com>>>traffic>>>uplink         2048
            3 counter(s)

            """.ReplaceLineEndings("\n"), stats.Stdout);
    }

    [Fact]
    public async Task Stats_should_print_only_the_counters_whose_names_contain_the_pattern()
    {
        var stats = await RunAsync("stats", "--pattern", "user>>>");

        Assert.DoesNotContain("inbound>>>", stats.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("2 counter(s)\n", stats.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_with_reset_should_print_the_values_and_zero_the_counters()
    {
        var reset = await RunAsync("stats", "--pattern", "bob", "--reset");
        var after = await RunAsync("stats", "--pattern", "bob");

        Assert.Equal(["user>>>bob@example.com>>>traffic>>>uplink", "2048"], Row(reset.Stdout, 1));
        Assert.EndsWith("1 counter(s), now reset to 0 (the values are those before)\n", reset.Stdout, StringComparison.Ordinal);
        Assert.Equal(["user>>>bob@example.com>>>traffic>>>uplink", "0"], Row(after.Stdout, 1));
    }

    [Fact]
    public async Task Stats_should_say_when_no_counter_matches()
    {
        var stats = await RunAsync("stats", "--pattern", "nothing-like-this");

        Assert.Equal(new CliResult(0, "no counters match 'nothing-like-this'\n", ""), stats);
    }

    private static string[] Row(string table, int index) => table.Split('\n')[index].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private Task<CliResult> RunAsync(params string[] args) => OperatorCli.RunAsync([.. args, "--server", _api.Server]);
}
