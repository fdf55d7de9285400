using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Persistence;

/// <summary>
/// What a durable journal must give the registry, run against each one (SQLite, PostgreSQL): a node is stopped and a
/// new ActorSystem is started on the same database, as after a full restart of the cluster.
/// </summary>
public abstract class RegistryRestartContract(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // VMESS_RESTART_USERS=10000 measures the restart at another count (not in CI: seeding takes minutes).
    private static readonly int RuntimeUserCount =
        int.TryParse(Environment.GetEnvironmentVariable("VMESS_RESTART_USERS"), out var count) && count > 0 ? count : 1000;

    // Seeding and the restart grow with the count: 30 s per 1,000 users, at least 30 s.
    private static readonly TimeSpan RuntimeUsersBound = TimeSpan.FromSeconds(Math.Max(30, RuntimeUserCount / 1000 * 30));
    private static readonly VMessAccount Alice = new(VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811"), 0, 1, "alice@example.com");
    private static readonly VMessAccount Bob = new(VMessUserId.Parse("3b0d5a5e-5a10-4c5e-9d5a-1d2e0c7c8f01"), 4, 0, "bob@example.com");

    /// <summary>A fresh, empty database for one test; the same config is used for both lives of the node.</summary>
    protected abstract Task<Config> NewDatabaseAsync();

    /// <summary>The journal's and snapshot store's rows of <paramref name="persistenceId"/> (see <see cref="JournalRows"/>).</summary>
    protected abstract Task<IReadOnlyList<string>> JournalRowsAsync(Config database, string persistenceId);

    [Fact]
    public async Task Upserted_user_should_be_projected_and_returned_after_a_restart()
    {
        var database = await NewDatabaseAsync();
        await using (var first = await RegistryNode.StartAsync(database))
            await Send(first, Upsert(Alice));

        await using var second = await RegistryNode.StartAsync(database);
        await Eventually.TrueAsync(() => second.Directory.Current.Accounts.Count == 1, Bound,
            () => $"directory has {second.Directory.Current.Accounts.Count} accounts");
        Assert.Equal([Alice], second.Directory.Current.Accounts);
        var user = (await second.Registry.Ask<GetUserResult>(new GetUser(Alice.Email!), Bound)).User;
        Assert.Equal(new UserRecord(Alice.Id, Alice.AlterId, Alice.Level, Alice.Email, true, 1), user);
    }

    [Fact]
    public async Task Removed_user_should_stay_removed_after_a_restart()
    {
        var database = await NewDatabaseAsync();
        await using (var first = await RegistryNode.StartAsync(database))
        {
            await Send(first, Upsert(Alice));
            await Send(first, Upsert(Bob));
            Assert.Equal(UserCommandOutcome.Applied, await Send(first, new RemoveUser(Alice.Email!)));
        }

        await using var second = await RegistryNode.StartAsync(database);
        await Eventually.TrueAsync(() => second.Directory.Current.Accounts.Count == 1, Bound,
            () => $"directory has {second.Directory.Current.Accounts.Count} accounts");
        Assert.Equal([Bob], second.Directory.Current.Accounts);
        Assert.Null((await second.Registry.Ask<GetUserResult>(new GetUser(Alice.Email!), Bound)).User);
    }

    [Fact]
    public async Task Disabled_user_should_stay_disabled_after_a_restart()
    {
        var database = await NewDatabaseAsync();
        await using (var first = await RegistryNode.StartAsync(database))
        {
            await Send(first, Upsert(Bob));
            await Send(first, new DisableUser(Bob.Email!));
        }

        await using var second = await RegistryNode.StartAsync(database);
        await Eventually.TrueAsync(() => second.Directory.Current.DisabledCount == 1, Bound,
            () => $"directory has {second.Directory.Current.DisabledCount} disabled");
        Assert.Empty(second.Directory.Current.Accounts);
    }

    [Fact]
    public async Task Remembered_entities_should_restart_exactly_the_existing_users_without_any_command()
    {
        var database = await NewDatabaseAsync();
        await using (var first = await RegistryNode.StartAsync(database))
        {
            await Send(first, Upsert(Alice));
            await Send(first, Upsert(Bob));
            await Send(first, new RemoveUser(Alice.Email!));
            await first.Registry.Ask<GetUserResult>(new GetUser("nobody@example.com"), Bound);
        }

        await using var second = await RegistryNode.StartAsync(database);
        await Eventually.TrueAsync(() => second.Directory.Current.Accounts.Count == 1, Bound,
            () => $"directory has {second.Directory.Current.Accounts.Count} accounts");
        var state = await second.Registry.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Bound);
        Assert.Equal([Bob.Email!], state.Shards.SelectMany(shard => shard.EntityIds).ToArray());
    }

    [Fact]
    public async Task Every_user_added_at_runtime_should_be_projected_again_after_a_restart()
    {
        var userCount = RuntimeUserCount;
        var database = await NewDatabaseAsync();
        var accounts = Enumerable.Range(0, userCount)
            .Select(i => new VMessAccount(VMessUserId.NewRandom(), 0, 0, $"user{i}@example.com")).ToArray();
        await using (var first = await RegistryNode.StartAsync(database))
        {
            var seeding = Stopwatch.StartNew();
            var report = await RegistrySeeder.SeedAsync(first.Registry, accounts, RuntimeUsersBound);
            Assert.Equal(userCount, report.Applied);
            output.WriteLine($"{GetType().Name}: {userCount} users persisted in {seeding.ElapsedMilliseconds} ms");
        }

        var restart = Stopwatch.StartNew();
        await using var second = await RegistryNode.StartAsync(database);
        await Eventually.TrueAsync(() => second.Directory.Current.Accounts.Count == userCount, RuntimeUsersBound,
            () => $"directory has {second.Directory.Current.Accounts.Count} of {userCount} accounts");
        output.WriteLine($"{GetType().Name}: {userCount} users re-projected {restart.ElapsedMilliseconds} ms after the new node started");
        Assert.Equal(accounts.Select(a => a.Id).ToHashSet(), second.Directory.Current.Accounts.Select(a => a.Id).ToHashSet());
    }

    [Fact]
    public async Task Traffic_counters_should_be_exactly_the_same_after_a_restart_and_in_the_read_model_without_a_report()
    {
        var database = await NewDatabaseAsync();
        // Snapshots after every 4th event: the 12 events leave two snapshots (the events before them deleted) and a tail.
        var settings = RegistrySettings.Default with { SnapshotEvery = 4 };
        var key = Alice.Email!;
        await using (var first = await RegistryNode.StartAsync(database, settings))
        {
            await Send(first, Upsert(Alice));
            for (var sequence = 1; sequence <= 10; sequence++) await Report(first, key, sequence, uplink: 1000 + sequence, downlink: 7);
            await first.Registry.Ask<ResetTrafficResult>(new ResetTraffic(key, Uplink: false, Downlink: true), Bound);
            await Report(first, key, 11, uplink: 1, downlink: 3);
        }

        await using var second = await RegistryNode.StartAsync(database, settings);
        await Eventually.TrueAsync(() => second.Traffic.Find(key) is not null, Bound, () => "no traffic record after the restart");

        Assert.Equal(new GetTrafficResult(key, 10_056, 3, true), await second.Registry.Ask<GetTrafficResult>(new GetTraffic(key), Bound));
        Assert.Equal(("alice@example.com", 10_056L, 3L), (second.Traffic.Find(key)!.Email, second.Traffic.Find(key)!.Uplink, second.Traffic.Find(key)!.Downlink));
    }

    [Fact]
    public async Task Report_sent_again_after_a_restart_should_still_count_once()
    {
        var database = await NewDatabaseAsync();
        var settings = RegistrySettings.Default with { SnapshotEvery = 2 };
        var key = Alice.Email!;
        await using (var first = await RegistryNode.StartAsync(database, settings))
        {
            await Send(first, Upsert(Alice));
            for (var sequence = 1; sequence <= 5; sequence++) await Report(first, key, sequence, uplink: 10, downlink: 1);
        }

        await using var second = await RegistryNode.StartAsync(database, settings);
        await Report(second, key, sequence: 5, uplink: 10, downlink: 1);

        Assert.Equal(new GetTrafficResult(key, 50, 5, true), await second.Registry.Ask<GetTrafficResult>(new GetTraffic(key), Bound));
    }

    [Fact]
    public async Task Removed_users_counters_should_outlive_a_restart_until_they_are_reset()
    {
        var database = await NewDatabaseAsync();
        var key = Bob.Email!;
        await using (var first = await RegistryNode.StartAsync(database))
        {
            await Send(first, Upsert(Bob));
            await Report(first, key, 1, uplink: 5, downlink: 6);
            await Send(first, new RemoveUser(key));
        }

        await using var second = await RegistryNode.StartAsync(database);
        await Eventually.TrueAsync(() => second.Traffic.Find(key) is { Uplink: 5, Downlink: 6 }, Bound, () => "the removed user's counters were not re-published");
        Assert.Empty(second.Directory.Current.Accounts);
    }

    [Fact]
    public async Task Snapshots_should_keep_a_busy_users_journal_short()
    {
        var database = await NewDatabaseAsync();
        var settings = RegistrySettings.Default with { SnapshotEvery = 10 };
        await using (var node = await RegistryNode.StartAsync(database, settings))
        {
            await Send(node, Upsert(Alice));
            for (var sequence = 1; sequence <= 45; sequence++) await Report(node, Alice.Email!, sequence, uplink: 1, downlink: 1);
            // Deletions follow the snapshot's save, which follows the 40th event: wait for them, not a fixed time.
            await Eventually.TrueAsync(async () => IsTrimmed(await JournalRowsAsync(database, "user-" + Alice.Email)),
                Bound, async () => string.Join(", ", await JournalRowsAsync(database, "user-" + Alice.Email)));
        }

        // One snapshot (after the 40th of 46 events, or later when a slow save let events pile up: the entity saves again
        // as soon as that save is done) and no more events than SnapshotEvery since: every older one was deleted.
        bool IsTrimmed(IReadOnlyList<string> rows) =>
            rows.Count(r => r.StartsWith("event")) <= settings.SnapshotEvery && rows.Count(r => r.StartsWith("snapshot")) == 1;
    }

    private static Task<AddTrafficResult> Report(RegistryNode node, string key, long sequence, long uplink, long downlink) =>
        node.Registry.Ask<AddTrafficResult>(new AddTraffic(key, Reporter: 1, sequence, uplink, downlink), Bound);

    private static UpsertUser Upsert(VMessAccount account) => new(account.Id, account.AlterId, account.Level, account.Email);

    private static async Task<UserCommandOutcome> Send(RegistryNode node, IUserRegistryCommand command) =>
        (await node.Registry.Ask<UserCommandResult>(command, Bound)).Outcome;
}
