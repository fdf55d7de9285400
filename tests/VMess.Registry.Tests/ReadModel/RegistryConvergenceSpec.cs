using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.ReadModel;

/// <summary>
/// Two ActorSystems in this process form a cluster on loopback; a change made through node A's shard region must
/// reach node B's projected directory. Propagation times are measured and printed, and bounded only generously.
/// </summary>
public sealed class RegistryConvergenceSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;
    private readonly ActorSystem _nodeB = RegistryCluster.CreateNode();
    private readonly UserDirectoryHolder _directoryB = new();
    private IActorRef _registryA = ActorRefs.Nobody;

    public RegistryConvergenceSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output)
    {
        _output = output;
    }

    public async Task InitializeAsync()
    {
        // The projector first: it loads DData (and its serializers) before gossip arrives.
        _nodeB.StartRegistryProjector(RegistrySettings.Default, _directoryB);
        var seed = Cluster.Get(Sys).SelfAddress;
        await Task.WhenAll(Cluster.Get(Sys).JoinAsync(seed), Cluster.Get(_nodeB).JoinAsync(seed)).WaitAsync(Bound);
        await AwaitConditionAsync(() => Task.FromResult(Cluster.Get(Sys).State.Members.Count(m => m.Status == MemberStatus.Up) == 2), Bound);
        _registryA = Sys.StartUserRegistry(RegistrySettings.Default);
        _nodeB.StartUserRegistry(RegistrySettings.Default);
    }

    public async Task DisposeAsync() => await _nodeB.Terminate().WaitAsync(Bound);

    [Fact]
    public async Task User_upserted_on_node_A_should_appear_in_node_B_directory_and_a_removal_should_disappear()
    {
        var id = VMessUserId.NewRandom();
        var watch = Stopwatch.StartNew();
        await _registryA.Ask<UserCommandResult>(new UpsertUser(id, 0, 0, "dave@example.com"), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_directoryB.Current.Accounts.Any(a => a.Id == id)), Bound, TimeSpan.FromMilliseconds(10));
        _output.WriteLine($"upsert (WriteLocal) on A -> B's directory: {watch.ElapsedMilliseconds} ms");

        watch.Restart();
        await _registryA.Ask<UserCommandResult>(new RemoveUser("dave@example.com"), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_directoryB.Current.Accounts.All(a => a.Id != id)), Bound, TimeSpan.FromMilliseconds(10));
        _output.WriteLine($"remove (WriteMajority) on A -> gone from B's directory: {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Disabled_user_should_leave_node_B_directory()
    {
        var id = VMessUserId.NewRandom();
        await _registryA.Ask<UserCommandResult>(new UpsertUser(id, 0, 0, null), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_directoryB.Current.Accounts.Any(a => a.Id == id)), Bound);
        var watch = Stopwatch.StartNew();
        await _registryA.Ask<UserCommandResult>(new DisableUser(UserKey.For(id, null)), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_directoryB.Current.Accounts.All(a => a.Id != id)), Bound, TimeSpan.FromMilliseconds(10));
        _output.WriteLine($"disable (WriteMajority) on A -> gone from B's directory: {watch.ElapsedMilliseconds} ms");
    }
}
