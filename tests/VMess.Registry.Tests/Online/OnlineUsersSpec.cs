using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.TestKit.Xunit2;
using VMess.Registry.Online;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Online;

/// <summary>
/// Two ActorSystems in this process form a cluster on loopback, each publishing its own live connections (a
/// <see cref="FakeConnections"/>) at the default interval: each node's <see cref="ClusterOnlineUsers"/> sums both, and
/// a node that leaves takes its connections (and its DData key) with it. Propagation times are printed.
/// </summary>
public sealed class OnlineUsersSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;
    private readonly ActorSystem _nodeB = RegistryCluster.CreateNode();
    private readonly FakeConnections _connectionsA = new();
    private readonly FakeConnections _connectionsB = new();
    private ClusterOnlineUsers _viewA = null!;
    private ClusterOnlineUsers _viewB = null!;

    public OnlineUsersSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output)
    {
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _viewA = Sys.StartOnlineUsers(OnlineSettings.Default, _connectionsA);
        _viewB = _nodeB.StartOnlineUsers(OnlineSettings.Default, _connectionsB);
        var seed = Cluster.Get(Sys).SelfAddress;
        await Task.WhenAll(Cluster.Get(Sys).JoinAsync(seed), Cluster.Get(_nodeB).JoinAsync(seed)).WaitAsync(Bound);
        await AwaitConditionAsync(() => Task.FromResult(Cluster.Get(Sys).State.Members.Count(m => m.Status == MemberStatus.Up) == 2), Bound);
    }

    public async Task DisposeAsync() => await _nodeB.Terminate().WaitAsync(Bound);

    [Fact]
    public async Task Each_nodes_view_should_sum_the_connections_and_source_ips_of_every_node()
    {
        var watch = Stopwatch.StartNew();
        _connectionsA.Set("alice@example.com", ("192.0.2.1", 2));
        _connectionsB.Set("Alice@Example.com", ("192.0.2.1", 1), ("198.51.100.7", 1));
        _connectionsB.Set("bob@example.com", ("203.0.113.9", 1));

        foreach (var (name, view) in new[] { ("A", _viewA), ("B", _viewB) })
        {
            await Eventually.TrueAsync(() => Connections(view, "alice@example.com") == 4 && Connections(view, "bob@example.com") == 1, Bound,
                () => $"node {name}'s view: {Describe(view)}");
            _output.WriteLine($"both nodes' connections in node {name}'s view {watch.ElapsedMilliseconds} ms after they opened");
        }
        var alice = await _viewA.GetAsync("ALICE@example.com", CancellationToken.None);
        Assert.NotNull(alice);
        Assert.Equal(new Dictionary<string, int> { ["192.0.2.1"] = 3, ["198.51.100.7"] = 1 }, alice.SourceIps);
        Assert.Equal(["alice@example.com", "bob@example.com"],
            (await _viewB.ListAsync(CancellationToken.None)).Select(u => u.Email.ToLowerInvariant()));
    }

    [Fact]
    public async Task A_user_whose_last_connection_closed_should_leave_the_other_nodes_view()
    {
        _connectionsB.Set("carol@example.com", ("192.0.2.1", 1));
        await Eventually.TrueAsync(() => Connections(_viewA, "carol@example.com") == 1, Bound, () => Describe(_viewA));

        var watch = Stopwatch.StartNew();
        _connectionsB.Clear("carol@example.com");
        await Eventually.TrueAsync(() => Connections(_viewA, "carol@example.com") == 0, Bound, () => Describe(_viewA));
        _output.WriteLine($"carol's last connection on B left A's view {watch.ElapsedMilliseconds} ms after it closed");

        Assert.Null(await _viewA.GetAsync("carol@example.com", CancellationToken.None));
        Assert.Empty(await _viewA.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_node_that_leaves_should_take_its_connections_and_its_key_with_it()
    {
        _connectionsB.Set("dave@example.com", ("192.0.2.1", 1));
        _connectionsA.Set("erin@example.com", ("192.0.2.2", 1));
        await Eventually.TrueAsync(() => Connections(_viewA, "dave@example.com") == 1 && Connections(_viewA, "erin@example.com") == 1,
            Bound, () => Describe(_viewA));
        var keyB = OnlineKeys.For(Cluster.Get(_nodeB).SelfUniqueAddress);

        var watch = Stopwatch.StartNew();
        await Cluster.Get(_nodeB).LeaveAsync().WaitAsync(Bound);
        await Eventually.TrueAsync(() => Connections(_viewA, "dave@example.com") == 0, Bound, () => Describe(_viewA));
        _output.WriteLine($"B's connections left A's view {watch.ElapsedMilliseconds} ms after B started leaving");

        Assert.Equal(1, Connections(_viewA, "erin@example.com"));
        var replicator = DistributedData.Get(Sys).Replicator;
        await AwaitConditionAsync(async () =>
            await replicator.Ask<IGetResponse>(Dsl.Get(keyB, ReadLocal.Instance), Bound) is DataDeleted, Bound);
    }

    private static int Connections(ClusterOnlineUsers view, string email) => view.Get(email)?.Connections ?? 0;

    private static string Describe(ClusterOnlineUsers view) =>
        string.Join(", ", view.List().Select(u => $"{u.Email}: {u.Connections}")) is { Length: > 0 } users ? users : "(nobody)";
}
