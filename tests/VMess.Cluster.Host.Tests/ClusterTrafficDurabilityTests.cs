using System.Diagnostics;
using System.Text.RegularExpressions;
using VMess.Cluster.Host.Tests.Support;
using VMess.Registry;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests;

/// <summary>
/// Per-user traffic counters across three node processes sharing PostgreSQL, read through V2Ray's StatsService at a
/// node that carried none of the traffic: a node killed with SIGKILL loses at most what it had not reported yet (its
/// last report interval, 1 s) and nothing reported, also when the node killed hosts the user's entity; every node
/// stopped with SIGTERM and started again loses nothing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ClusterTrafficDurabilityTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly (string Id, string Email) User = StatsApi.NodeUser(1);

    // Different sizes each way and per transfer, so a swapped direction, a lost report or one counted twice shows.
    private static readonly KnownTransfer Reported = new(300_007, 1_200_011);
    private static readonly KnownTransfer CutShort = new(700_001, 90_003);
    // Larger than CutShort each way: counters that include it cannot be a stale copy from before the kill.
    private static readonly KnownTransfer AfterRejoin = new(800_011, 500_009);
    private static readonly KnownTransfer WhileEntityDown = new(120_017, 640_019);
    private static readonly KnownTransfer UntilServed = new(10_007, 20_011);
    private static readonly KnownTransfer ThroughNode1 = new(410_023, 1_500_029);
    private static readonly KnownTransfer ThroughNode3 = new(650_031, 230_039);

    [Fact]
    public async Task A_node_killed_outright_should_lose_at_most_its_unreported_last_second_and_a_killed_entity_node_nothing()
    {
        var test = Stopwatch.StartNew();
        await using var cluster = await ThreeNodeCluster.CreateAsync(postgres, output);
        await using var target = new LoopbackTcpServer(KnownTransfer.ServeAsync);
        await cluster.StartAllAsync(StatsApi.NodeConfig(1), StatsApi.NodeConfig(2), StatsApi.NodeConfig(3));
        var api = await Task.WhenAll(cluster.Running.Select(StatsApi.PortAsync));
        output.WriteLine($"cluster formed after {test.ElapsedMilliseconds} ms");

        // 1. Reported: node 1 shows exactly what went through node 3.
        var atNode3 = await cluster.ClientAsync(User.Id, 2, target.Port);
        await Reported.RunUntilServedAsync(atNode3);
        var clock = Stopwatch.StartNew();
        Assert.Equal(Totals(Reported), await CountersAsync(api[0], Totals(Reported)));
        output.WriteLine($"node 1 showed the {Reported} through node 3 {clock.ElapsedMilliseconds} ms after the transfer");

        // 2. More through node 3, then SIGKILL at once; node 3 restarts. Node 1 must never show less than was reported.
        var watch = CounterWatch.Start(api[0], User.Email);
        await CutShort.RunUntilServedAsync(atNode3);
        var unreachable = UnreachableSoFar(cluster, 2);
        await cluster.Node(2).KillAsync();
        clock.Restart();
        api[2] = await RestartAsync(cluster, 2, unreachable);
        var whileKilled = await watch.StopAsync();
        output.WriteLine($"node 3 killed right after {CutShort}; restarted, it rejoined after {clock.ElapsedMilliseconds} ms; node 1 read {whileKilled} meanwhile");
        Assert.True(whileKilled.Lowest.Up >= Reported.Up && whileKilled.Lowest.Down >= Reported.Down, $"node 1 showed less than was reported: {whileKilled}");
        Assert.True(whileKilled.Highest.Up <= Reported.Up + CutShort.Up && whileKilled.Highest.Down <= Reported.Down + CutShort.Down,
            $"node 1 showed more than was carried: {whileKilled}");
        // Counters that include a transfer larger than CutShort come from the entity after it, wherever it now runs:
        // what they hold beyond that transfer is what the journal kept.
        var atNode1 = await cluster.ClientAsync(User.Id, 0, target.Port);
        await AfterRejoin.RunUntilServedAsync(atNode1);
        var withAfterRejoin = await CountersAsync(api[0], Totals(Reported + AfterRejoin));
        var kept = (Up: withAfterRejoin.Up - AfterRejoin.Up, Down: withAfterRejoin.Down - AfterRejoin.Down);
        output.WriteLine($"of {Reported + CutShort} through node 3 the journal kept {kept.Up} up, {kept.Down} down: the kill lost " +
            $"{Reported.Up + CutShort.Up - kept.Up} up, {Reported.Down + CutShort.Down - kept.Down} down");
        Assert.InRange(kept.Up, Reported.Up, Reported.Up + CutShort.Up);
        Assert.InRange(kept.Down, Reported.Down, Reported.Down + CutShort.Down);
        foreach (var n in new[] { 1, 2 }) Assert.Equal(withAfterRejoin, await CountersAsync(api[n], withAfterRejoin));

        // 3. SIGKILL the node that hosts the user's entity; more traffic through another while sharding moves the entity.
        var shard = new UserMessageExtractor(RegistrySettings.Default.ShardCount).ShardId(UserKey.ForEmail(User.Email));
        var host = await EntityHostAsync(cluster, shard);
        var other = host == 0 ? 1 : 0;
        var atOther = await cluster.ClientAsync(User.Id, other, target.Port);
        watch = CounterWatch.Start(api[other], User.Email);
        unreachable = UnreachableSoFar(cluster, host);
        await cluster.Node(host).KillAsync();
        clock.Restart();
        await WhileEntityDown.RunUntilServedAsync(atOther);
        api[host] = await RestartAsync(cluster, host, unreachable);
        var expected = (withAfterRejoin.Up + WhileEntityDown.Up, withAfterRejoin.Down + WhileEntityDown.Down);
        var final = await CountersAsync(api[other], expected);
        var afterEntityKill = await watch.StopAsync();
        output.WriteLine($"node {host + 1} (hosting shard {shard}) killed and restarted; node {other + 1} showed the {WhileEntityDown} through it " +
            $"{clock.ElapsedMilliseconds} ms after the kill ({Hosting(cluster, shard)}); it read {afterEntityKill} meanwhile");
        Assert.Equal(expected, final);
        Assert.True(afterEntityKill.Lowest.Up >= withAfterRejoin.Up && afterEntityKill.Lowest.Down >= withAfterRejoin.Down,
            $"node {other + 1} showed less than the entity had counted: {afterEntityKill}");
        Assert.True(afterEntityKill.Highest.Up <= expected.Item1 && afterEntityKill.Highest.Down <= expected.Item2,
            $"node {other + 1} showed more than was carried: {afterEntityKill}");
        for (var n = 0; n < 3; n++) Assert.Equal(expected, await CountersAsync(api[n], expected));
        output.WriteLine($"test took {test.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Stopping_every_node_right_after_a_transfer_and_starting_them_again_should_keep_the_counters_exactly()
    {
        var test = Stopwatch.StartNew();
        await using var cluster = await ThreeNodeCluster.CreateAsync(postgres, output);
        await using var target = new LoopbackTcpServer(KnownTransfer.ServeAsync);
        string[] configs = [StatsApi.NodeConfig(1), StatsApi.NodeConfig(2), StatsApi.NodeConfig(3)];
        await cluster.StartAllAsync(configs);
        await Task.WhenAll(cluster.Running.Select(StatsApi.PortAsync));
        output.WriteLine($"cluster formed after {test.ElapsedMilliseconds} ms");
        var atNode1 = await cluster.ClientAsync(User.Id, 0, target.Port);
        var atNode3 = await cluster.ClientAsync(User.Id, 2, target.Port);

        // Once both nodes serve the user, a transfer through each at once and no waiting for a report: what the nodes
        // have not reported yet (up to a second's worth each) must go with their graceful stop.
        await Task.WhenAll(UntilServed.RunUntilServedAsync(atNode1), UntilServed.RunUntilServedAsync(atNode3));
        await Task.WhenAll(ThroughNode1.RunUntilServedAsync(atNode1), ThroughNode3.RunUntilServedAsync(atNode3));
        var clock = Stopwatch.StartNew();
        await cluster.StopAllAsync();
        output.WriteLine($"every node stopped {clock.ElapsedMilliseconds} ms after SIGTERM");
        for (var n = 0; n < 3; n++)
        {
            Assert.True(cluster.Node(n).HasPrinted(line => line.Contains("shutdown: traffic reported to the users' entities", StringComparison.Ordinal)),
                $"node {n + 1} stopped without its traffic reported\n{cluster.Node(n).Describe()}");
        }

        clock.Restart();
        await cluster.StartAllAsync(configs);
        var atNode2 = await StatsApi.PortAsync(cluster.Node(1));
        var expected = Totals(UntilServed + UntilServed + ThroughNode1 + ThroughNode3);
        var counters = await CountersAsync(atNode2, expected);
        output.WriteLine($"after the restart node 2 showed uplink {counters.Up}, downlink {counters.Down} {clock.ElapsedMilliseconds} ms after the start");
        Assert.Equal(expected, counters);
        output.WriteLine($"test took {test.ElapsedMilliseconds} ms");
    }

    private static (long Up, long Down) Totals(KnownTransfer transfer) => (transfer.Up, transfer.Down);

    /// <summary>Reads the user's counters at the API on <paramref name="apiPort"/> until they reach <paramref name="atLeast"/> each way; the last read.</summary>
    private static async Task<(long Up, long Down)> CountersAsync(int apiPort, (long Up, long Down) atLeast)
    {
        var deadline = Stopwatch.StartNew();
        using var channel = StatsApi.Channel(apiPort);
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var counters = await StatsApi.UserCountersAsync(channel, User.Email, cts.Token);
            if ((counters.Up >= atLeast.Up && counters.Down >= atLeast.Down) || deadline.Elapsed > Bound) return counters;
            await Task.Delay(100, cts.Token);
        }
    }

    /// <summary>
    /// Once the other nodes have seen node <paramref name="n"/> (killed) unreachable, as they would before an operator
    /// restarts a crashed node, starts it again and waits until it has rejoined; its API port. A new incarnation started
    /// on the same address before that was once left unanswered by the seeds for the whole form timeout.
    /// </summary>
    private static async Task<int> RestartAsync(ThreeNodeCluster cluster, int n, IReadOnlyDictionary<int, int> unreachableBefore)
    {
        var deadline = Stopwatch.StartNew();
        while (unreachableBefore.Any(other => UnreachableLines(cluster.Node(other.Key)) <= other.Value))
        {
            if (deadline.Elapsed > ThreeNodeCluster.FormTimeout) throw new TimeoutException($"the others never saw node {n + 1} unreachable\n{cluster.Describe()}");
            await Task.Delay(50);
        }
        cluster.Start(n);
        await cluster.Node(n).WaitForOutputAsync(line => line.Contains("(3 member(s) up)", StringComparison.Ordinal), ThreeNodeCluster.FormTimeout);
        return await StatsApi.PortAsync(cluster.Node(n));
    }

    /// <summary>How many "member unreachable" lines each node but <paramref name="n"/> has printed so far (taken before killing it).</summary>
    private static IReadOnlyDictionary<int, int> UnreachableSoFar(ThreeNodeCluster cluster, int n) =>
        Enumerable.Range(0, 3).Where(other => other != n).ToDictionary(other => other, other => UnreachableLines(cluster.Node(other)));

    private static int UnreachableLines(HostProcess node) =>
        node.Stdout.Split('\n').Count(line => line.Contains("cluster: member unreachable", StringComparison.Ordinal));

    /// <summary>The node whose log says it hosts <paramref name="shard"/> (sharding's logger polls every 5 s), once exactly one does.</summary>
    private static async Task<int> EntityHostAsync(ThreeNodeCluster cluster, string shard)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var hosts = Enumerable.Range(0, 3).Where(n => Hosts(cluster.Node(n), shard)).ToArray();
            if (hosts.Length == 1) return hosts[0];
            if (deadline.Elapsed > Bound) throw new TimeoutException($"nodes {string.Join(", ", hosts.Select(n => n + 1))} host shard {shard}\n{cluster.Describe()}");
            await Task.Delay(200);
        }
    }

    private static string Hosting(ThreeNodeCluster cluster, string shard) =>
        $"shard {shard} now logged as hosted by node(s) {string.Join(", ", Enumerable.Range(0, 3).Where(n => Hosts(cluster.Node(n), shard)).Select(n => n + 1))}";

    /// <summary>Whether the node's shard log lines, in order, leave it hosting <paramref name="shard"/>.</summary>
    private static bool Hosts(HostProcess node, string shard)
    {
        var hosts = false;
        foreach (var line in node.Stdout.Split('\n'))
        {
            var match = ShardLine().Match(line);
            if (!match.Success) continue;
            if (match.Groups["started"].Value.Split(", ").Contains(shard)) hosts = true;
            if (match.Groups["stopped"].Value.Split(", ").Contains(shard)) hosts = false;
        }
        return hosts;
    }

    [GeneratedRegex(@"registry: this node hosts .*; started here: (?<started>.*); handed over or stopped: (?<stopped>.*)$")]
    private static partial Regex ShardLine();
}
