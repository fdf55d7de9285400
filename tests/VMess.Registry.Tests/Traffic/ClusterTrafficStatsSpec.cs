using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.Tests.Support;
using VMess.Registry.Traffic;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Traffic;

/// <summary>
/// V2Ray's StatsService semantics over a one-node cluster: connections counted in the node's ledger, reported to the
/// entities by the reporter, read back from the node's view (user counters) and ledger (inbound counters).
/// </summary>
public sealed class ClusterTrafficStatsSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TrafficSettings Fast = new() { ReportInterval = TimeSpan.FromMilliseconds(100), ResendAfter = TimeSpan.FromMilliseconds(500) };
    private readonly TrafficLedger _ledger = new();
    private IActorRef _registry = ActorRefs.Nobody;
    private TrafficAccounting _traffic = null!;
    private InboundTrafficCounter _inbound = null!;

    public ClusterTrafficStatsSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output) { }

    private ITrafficStats Stats => _traffic.Stats;

    public async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        _registry = Sys.StartUserRegistry(RegistrySettings.Default);
        _traffic = Sys.StartTrafficAccounting(_ledger, _registry, RegistrySettings.Default, Fast);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
        await _registry.Ask<UserCommandResult>(new UpsertUser(VMessUserId.NewRandom(), 0, 0, "Alice@example.com"), Bound);
        await _registry.Ask<UserCommandResult>(new UpsertUser(VMessUserId.NewRandom(), 0, 0, "bob@example.com"), Bound);
        _inbound = _ledger.Inbound("vmess-in");
        var alice = FakeConnection.Open(_ledger, "Alice@example.com", _inbound);
        alice.Payload = new(100, 1000);
        alice.ClientSide = new(150, 1100);
        FakeConnection.Open(_ledger, "bob@example.com").Payload = new(7, 70);
        await AwaitConditionAsync(() => Task.FromResult(_traffic.View.Find("alice@example.com")?.Downlink == 1000 && _traffic.View.Find("bob@example.com") is not null), Bound);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Query_with_an_empty_pattern_should_list_every_counter_by_name()
    {
        var counters = await Stats.QueryAsync("", reset: false, CancellationToken.None);

        Assert.Equal(
        [
            new StatCounter("inbound>>>vmess-in>>>traffic>>>downlink", 1100),
            new StatCounter("inbound>>>vmess-in>>>traffic>>>uplink", 150),
            new StatCounter("user>>>Alice@example.com>>>traffic>>>downlink", 1000),
            new StatCounter("user>>>Alice@example.com>>>traffic>>>uplink", 100),
            new StatCounter("user>>>bob@example.com>>>traffic>>>downlink", 70),
            new StatCounter("user>>>bob@example.com>>>traffic>>>uplink", 7),
        ], counters);
    }

    [Theory]
    [InlineData("Alice", 2)]
    [InlineData("alice", 0)]
    [InlineData(">>>uplink", 3)]
    [InlineData("user>>>", 4)]
    [InlineData("inbound>>>vmess-in>>>traffic>>>uplink", 1)]
    [InlineData("nobody", 0)]
    public async Task Query_should_match_the_names_that_contain_the_pattern_case_sensitively(string pattern, int expected)
    {
        var counters = await Stats.QueryAsync(pattern, reset: false, CancellationToken.None);

        Assert.Equal(expected, counters.Count);
        Assert.All(counters, c => Assert.Contains(pattern, c.Name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("user>>>alice@example.com>>>traffic>>>uplink")]
    [InlineData("user>>>carol@example.com>>>traffic>>>uplink")]
    [InlineData("inbound>>>other>>>traffic>>>uplink")]
    [InlineData("user>>>Alice@example.com>>>traffic")]
    public async Task Get_should_find_no_counter_for_a_name_that_is_not_exactly_one(string name)
    {
        Assert.Null(await Stats.GetAsync(name, reset: false, CancellationToken.None));
    }

    [Fact]
    public async Task Get_should_return_a_user_counter_and_an_inbound_counter()
    {
        Assert.Equal(new StatCounter("user>>>Alice@example.com>>>traffic>>>downlink", 1000),
            await Stats.GetAsync("user>>>Alice@example.com>>>traffic>>>downlink", reset: false, CancellationToken.None));
        Assert.Equal(new StatCounter("inbound>>>vmess-in>>>traffic>>>uplink", 150),
            await Stats.GetAsync("inbound>>>vmess-in>>>traffic>>>uplink", reset: false, CancellationToken.None));
    }

    [Fact]
    public async Task Get_with_reset_should_return_the_value_before_and_zero_that_counter_in_the_entity()
    {
        var before = await Stats.GetAsync("user>>>Alice@example.com>>>traffic>>>uplink", reset: true, CancellationToken.None);

        Assert.Equal(100, before!.Value);
        Assert.Equal(new GetTrafficResult("alice@example.com", 0, 1000, true),
            await _registry.Ask<GetTrafficResult>(new GetTraffic("alice@example.com"), Bound));
        await AwaitConditionAsync(() => Task.FromResult(_traffic.View.Find("alice@example.com")?.Uplink == 0), Bound);
    }

    [Fact]
    public async Task Query_with_reset_should_return_the_values_before_and_zero_only_the_matching_counters()
    {
        var cleared = await Stats.QueryAsync(">>>downlink", reset: true, CancellationToken.None);

        Assert.Equal([1100L, 1000L, 70L], cleared.Select(c => c.Value));
        Assert.Equal(new GetTrafficResult("bob@example.com", 7, 0, true), await _registry.Ask<GetTrafficResult>(new GetTraffic("bob@example.com"), Bound));
        Assert.Equal((150L, 0L), (_inbound.Uplink, _inbound.Downlink));
    }

    [Fact]
    public async Task Every_report_should_have_been_answered_by_its_entity()
    {
        await AwaitAssertAsync(async () =>
        {
            var stats = await _traffic.Reporter.Ask<TrafficReporterStats>(GetTrafficReporterStats.Instance, Bound);
            Assert.Equal((2L, 0), (stats.Reports, stats.Unanswered));
        }, Bound);
    }

    [Fact]
    public async Task Counters_should_keep_growing_after_a_reset()
    {
        await Stats.QueryAsync("bob", reset: true, CancellationToken.None);

        FakeConnection.Open(_ledger, "bob@example.com").Payload = new(1, 2);

        await AwaitConditionAsync(() => Task.FromResult(_traffic.View.Find("bob@example.com") is { Uplink: 1, Downlink: 2 }), Bound);
    }
}
