using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Time.Testing;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.ReadModel;

/// <summary>The projector on a one-node cluster: registry changes become directory snapshots in the sink.</summary>
public sealed class RegistryProjectorSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly UserDirectoryHolder _holder = new();
    private IActorRef _registry = ActorRefs.Nobody;

    public RegistryProjectorSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output) { }

    public async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
        _registry = Sys.StartUserRegistry(RegistrySettings.Default);
        Sys.StartRegistryProjector(RegistrySettings.Default, _holder);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Upserted_users_should_appear_in_the_directory()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => VMessUserId.NewRandom()).ToArray();
        foreach (var id in ids) await _registry.Ask<UserCommandResult>(new UpsertUser(id, 0, 0, null), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_holder.Current.Accounts.Count == ids.Length), Bound);
        Assert.Equal(ids.ToHashSet(), _holder.Current.Accounts.Select(a => a.Id).ToHashSet());
    }

    [Fact]
    public async Task Disabled_user_should_leave_the_directory_but_be_counted()
    {
        var id = VMessUserId.NewRandom();
        await _registry.Ask<UserCommandResult>(new UpsertUser(id, 0, 0, "bob@example.com"), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_holder.Current.Accounts.Count == 1), Bound);
        await _registry.Ask<UserCommandResult>(new DisableUser("bob@example.com"), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_holder.Current is { Accounts.Count: 0, DisabledCount: 1 }), Bound);
    }

    [Fact]
    public async Task Disabled_user_should_be_named_among_the_directorys_disabled_keys()
    {
        var id = VMessUserId.NewRandom();
        await _registry.Ask<UserCommandResult>(new UpsertUser(id, 0, 0, "Dora@Example.com"), Bound);
        await _registry.Ask<UserCommandResult>(new DisableUser("dora@example.com"), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_holder.Current.DisabledKeys.Contains("dora@example.com")), Bound);

        await _registry.Ask<UserCommandResult>(new EnableUser("dora@example.com"), Bound);
        await AwaitConditionAsync(() => Task.FromResult(_holder.Current.DisabledKeys.Count == 0), Bound);
    }

    [Fact]
    public async Task UserKeyIndexSink_should_make_the_index_authenticate_exactly_the_registry_users()
    {
        var index = new UserKeyIndex();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        Sys.ActorOf(RegistryProjector.Props(RegistrySettings.Default, new UserKeyIndexSink([index], time),
            Akka.DistributedData.DistributedData.Get(Sys).Replicator));
        var account = new VMessAccount(VMessUserId.NewRandom(), 0, 3, "carol@example.com");
        await _registry.Ask<UserCommandResult>(new UpsertUser(account.Id, account.AlterId, account.Level, account.Email), Bound);
        await AwaitConditionAsync(() => Task.FromResult(index.Count == 1), Bound);
        Assert.Equal([account], index.Accounts);
        await _registry.Ask<UserCommandResult>(new RemoveUser("carol@example.com"), Bound);
        await AwaitConditionAsync(() => Task.FromResult(index.Count == 0), Bound);
    }

    [Fact]
    public async Task A_change_that_reached_this_node_later_than_the_warning_should_be_logged_as_sync_lag()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var started = time.GetUtcNow().ToUnixTimeMilliseconds();
        var holder = new UserDirectoryHolder();
        var projector = Sys.ActorOf(RegistryProjector.Props(RegistrySettings.Default, holder, Akka.DistributedData.DistributedData.Get(Sys).Replicator, time));
        await projector.Ask<ActorIdentity>(new Identify(null), Bound); // it has read its start time
        time.Advance(TimeSpan.FromSeconds(3));

        await EventFilter.Warning(contains: "sync lag 2000 ms").ExpectOneAsync(Bound, () =>
            WriteRecordAsync(new UserRecord(VMessUserId.NewRandom(), 0, 0, "late@example.com", true, Version: 1, WrittenAt: started + 1000)));
    }

    [Fact]
    public async Task Records_written_before_the_projector_started_should_be_catch_up_not_sync_lag()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var holder = new UserDirectoryHolder();
        Sys.ActorOf(RegistryProjector.Props(RegistrySettings.Default, holder, Akka.DistributedData.DistributedData.Get(Sys).Replicator, time));
        var old = time.GetUtcNow().ToUnixTimeMilliseconds() - 60_000;

        await EventFilter.Warning(contains: "sync lag").ExpectAsync(0, async () =>
        {
            await WriteRecordAsync(new UserRecord(VMessUserId.NewRandom(), 0, 0, "old@example.com", true, Version: 1, WrittenAt: old));
            await AwaitConditionAsync(() => Task.FromResult(holder.Current.Accounts.Any(a => a.Email == "old@example.com")), Bound);
        });
    }

    // Straight into the record's bucket, as an entity on another node would have written it.
    private async Task WriteRecordAsync(UserRecord record)
    {
        var replicator = Akka.DistributedData.DistributedData.Get(Sys).Replicator;
        var self = Cluster.Get(Sys).SelfUniqueAddress;
        var response = await replicator.Ask<Akka.DistributedData.IUpdateResponse>(Akka.DistributedData.Dsl.Update(
            UserBuckets.KeyFor(record.Key, RegistrySettings.Default.BucketCount),
            Akka.DistributedData.LWWDictionary<string, UserRecord>.Empty,
            Akka.DistributedData.WriteLocal.Instance,
            bucket => bucket.SetItem(self, record.Key, record)), Bound);
        Assert.IsType<Akka.DistributedData.UpdateSuccess>(response);
    }
}
