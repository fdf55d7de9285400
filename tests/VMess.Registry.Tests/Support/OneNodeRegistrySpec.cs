using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.TestKit.Xunit2;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Support;

/// <summary>
/// The entity specs' setup: a cluster of one that has joined itself, with the user registry's shard region started
/// under <paramref name="settings"/>, and Alice, the user they talk about.
/// </summary>
public abstract class OneNodeRegistrySpec(ITestOutputHelper output, RegistrySettings settings)
    : TestKit(RegistryCluster.Setup(), RegistryCluster.SystemName, output), IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    protected static readonly VMessUserId Alice = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");
    protected const string AliceKey = "alice@example.com";

    protected IActorRef Registry { get; private set; } = ActorRefs.Nobody;

    public virtual async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
        Registry = Sys.StartUserRegistry(settings);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Alice's record in this node's replica of her user bucket; null while it has none.</summary>
    protected async Task<UserRecord?> LocalRecordAsync()
    {
        var bucket = UserBuckets.KeyFor(AliceKey, settings.BucketCount);
        var response = await DistributedData.Get(Sys).Replicator.Ask<IGetResponse>(Dsl.Get(bucket, ReadLocal.Instance), Bound);
        return response is GetSuccess success && success.Get(bucket).TryGetValue(AliceKey, out var record) ? record : null;
    }
}
