using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.DistributedData;
using VMess.Registry.Dispatch;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests;

/// <summary>The entity through a one-node cluster's shard region, as the host will use it.</summary>
public sealed class UserEntitySpec(ITestOutputHelper output) : OneNodeRegistrySpec(output, RegistrySettings.Default)
{
    [Fact]
    public async Task Upsert_should_apply_then_get_should_return_the_record()
    {
        Assert.Equal(UserCommandOutcome.Applied, await Send(new UpsertUser(Alice, 0, 1, "Alice@example.com")));
        var result = await Registry.Ask<GetUserResult>(new GetUser(AliceKey), Bound);
        Assert.Equal(new UserRecord(Alice, 0, 1, "Alice@example.com", true, 1), result.User);
    }

    [Fact]
    public async Task Upsert_should_be_unchanged_when_repeated()
    {
        await Send(new UpsertUser(Alice, 0, 1, AliceKey));
        Assert.Equal(UserCommandOutcome.Unchanged, await Send(new UpsertUser(Alice, 0, 1, AliceKey)));
    }

    [Fact]
    public async Task Remove_should_forget_the_user_and_be_NotFound_the_second_time()
    {
        await Send(new UpsertUser(Alice, 0, 1, AliceKey));
        Assert.Equal(UserCommandOutcome.Applied, await Send(new RemoveUser(AliceKey)));
        Assert.Null((await Registry.Ask<GetUserResult>(new GetUser(AliceKey), Bound)).User);
        Assert.Equal(UserCommandOutcome.NotFound, await Send(new RemoveUser(AliceKey)));
    }

    [Fact]
    public async Task Disable_then_enable_should_flip_the_flag_once_each()
    {
        await Send(new UpsertUser(Alice, 0, 1, AliceKey));
        Assert.Equal(UserCommandOutcome.Applied, await Send(new DisableUser(AliceKey)));
        Assert.Equal(UserCommandOutcome.Unchanged, await Send(new DisableUser(AliceKey)));
        Assert.False((await Registry.Ask<GetUserResult>(new GetUser(AliceKey), Bound)).User!.Enabled);
        Assert.Equal(UserCommandOutcome.Applied, await Send(new EnableUser(AliceKey)));
        Assert.True((await Registry.Ask<GetUserResult>(new GetUser(AliceKey), Bound)).User!.Enabled);
    }

    [Fact]
    public async Task Applied_change_should_already_be_in_the_local_bucket_when_the_reply_arrives()
    {
        await Send(new UpsertUser(Alice, 2, 1, AliceKey));
        var record = await LocalRecordAsync();
        Assert.Equal(new UserRecord(Alice, 2, 1, AliceKey, true, 1), record! with { WrittenAt = 0 });
        Assert.InRange(record.WrittenAt, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Removal_should_delete_the_entry_from_its_bucket()
    {
        await Send(new UpsertUser(Alice, 0, 0, AliceKey));
        await Send(new RemoveUser(AliceKey));
        Assert.Null(await LocalRecordAsync());
    }

    [Fact]
    public async Task A_removed_users_record_still_in_its_bucket_should_be_deleted_when_the_entity_next_recovers()
    {
        await Send(new UpsertUser(Alice, 0, 0, AliceKey));
        var record = await LocalRecordAsync();
        await Send(new RemoveUser(AliceKey));
        // The entity passivates after the removal; then the record comes back as if that removal's write had been lost.
        await AwaitAssertAsync(async () => Assert.DoesNotContain(AliceKey,
            (await Registry.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Bound)).Shards.SelectMany(shard => shard.EntityIds)), Bound);
        var bucket = UserBuckets.KeyFor(AliceKey, RegistrySettings.Default.BucketCount);
        var self = Akka.Cluster.Cluster.Get(Sys).SelfUniqueAddress;
        await DistributedData.Get(Sys).Replicator.Ask<IUpdateResponse>(
            Dsl.Update(bucket, LWWDictionary<string, UserRecord>.Empty, WriteLocal.Instance, b => b.SetItem(self, AliceKey, record!)), Bound);
        Assert.NotNull(await LocalRecordAsync());

        Assert.Null((await Registry.Ask<GetUserResult>(new GetUser(AliceKey), Bound)).User);

        await AwaitAssertAsync(async () => Assert.Null(await LocalRecordAsync()), Bound);
    }

    [Fact]
    public async Task Entity_should_run_on_the_compact_deque_mailbox()
    {
        await Send(new UpsertUser(Alice, 0, 1, AliceKey));
        var entity = await Sys.ActorSelection($"/system/sharding/{UserRegistryExtensions.TypeName}/*/{Uri.EscapeDataString(AliceKey)}").ResolveOne(Bound);
        Assert.IsType<CompactDequeMessageQueue>(((LocalActorRef)entity).Cell.Mailbox!.MessageQueue);
    }

    private async Task<UserCommandOutcome> Send(IUserRegistryCommand command) =>
        (await Registry.Ask<UserCommandResult>(command, Bound)).Outcome;
}
