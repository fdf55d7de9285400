using System.Diagnostics;
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
/// Two ActorSystems in this process form a cluster on loopback, each with its ledger and traffic accounting: bytes
/// counted on either node show in both nodes' views as one cluster-wide total, and a reset through one node is seen by
/// the other. Propagation times are printed and bounded only generously.
/// </summary>
public sealed class TrafficConvergenceSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private static readonly TrafficSettings Settings = new() { ReportInterval = TimeSpan.FromMilliseconds(200) };
    private readonly ITestOutputHelper _output;
    private readonly ActorSystem _nodeB = RegistryCluster.CreateNode();
    private readonly TrafficLedger _ledgerA = new();
    private readonly TrafficLedger _ledgerB = new();
    private TrafficAccounting _trafficA = null!;
    private TrafficAccounting _trafficB = null!;

    public TrafficConvergenceSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output)
    {
        _output = output;
    }

    public async Task InitializeAsync()
    {
        // Accounting first: its projector loads DData (and its serializers) before gossip arrives.
        var registryA = Sys.StartUserRegistry(RegistrySettings.Default);
        var registryB = _nodeB.StartUserRegistry(RegistrySettings.Default);
        _trafficA = Sys.StartTrafficAccounting(_ledgerA, registryA, RegistrySettings.Default, Settings);
        _trafficB = _nodeB.StartTrafficAccounting(_ledgerB, registryB, RegistrySettings.Default, Settings);
        var seed = Cluster.Get(Sys).SelfAddress;
        await Task.WhenAll(Cluster.Get(Sys).JoinAsync(seed), Cluster.Get(_nodeB).JoinAsync(seed)).WaitAsync(Bound);
        await AwaitConditionAsync(() => Task.FromResult(Cluster.Get(Sys).State.Members.Count(m => m.Status == MemberStatus.Up) == 2), Bound);
        foreach (var email in new[] { "carol@example.com", "dave@example.com" })
        {
            await registryA.Ask<UserCommandResult>(new UpsertUser(VMessUserId.NewRandom(), 0, 0, email), Bound);
        }
    }

    public async Task DisposeAsync() => await _nodeB.Terminate().WaitAsync(Bound);

    [Fact]
    public async Task Bytes_counted_on_both_nodes_should_show_in_each_nodes_view_as_one_total()
    {
        var watch = Stopwatch.StartNew();
        FakeConnection.Open(_ledgerA, "carol@example.com").Payload = new(1000, 20_000);
        FakeConnection.Open(_ledgerB, "carol@example.com").Payload = new(1, 2);

        foreach (var (node, view) in new[] { ("A", _trafficA.View), ("B", _trafficB.View) })
        {
            await AwaitConditionAsync(() => Task.FromResult(view.Find("carol@example.com") is { Uplink: 1001, Downlink: 20_002 }), Bound,
                TimeSpan.FromMilliseconds(10));
            _output.WriteLine($"both nodes' bytes -> node {node}'s view: {watch.ElapsedMilliseconds} ms");
        }
    }

    [Fact]
    public async Task Reset_through_node_B_should_answer_the_total_and_reach_node_A()
    {
        FakeConnection.Open(_ledgerA, "dave@example.com").Payload = new(300, 4000);
        await AwaitConditionAsync(() => Task.FromResult(_trafficB.View.Find("dave@example.com")?.Downlink == 4000), Bound);

        var watch = Stopwatch.StartNew();
        var cleared = await _trafficB.Stats.QueryAsync("dave", reset: true, CancellationToken.None);

        Assert.Equal([4000L, 300L], cleared.Select(c => c.Value));
        await AwaitConditionAsync(() => Task.FromResult(_trafficA.View.Find("dave@example.com") is { Uplink: 0, Downlink: 0 }), Bound,
            TimeSpan.FromMilliseconds(10));
        _output.WriteLine($"reset through B -> zero in A's view: {watch.ElapsedMilliseconds} ms");
    }
}
