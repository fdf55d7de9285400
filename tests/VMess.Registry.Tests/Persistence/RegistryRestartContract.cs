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
    private static readonly VMessAccount Alice = new(VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811"), 0, 1, "alice@example.com");
    private static readonly VMessAccount Bob = new(VMessUserId.Parse("3b0d5a5e-5a10-4c5e-9d5a-1d2e0c7c8f01"), 4, 0, "bob@example.com");

    /// <summary>A fresh, empty database for one test; the same config is used for both lives of the node.</summary>
    protected abstract Task<Config> NewDatabaseAsync();

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
        const int userCount = 1000;
        var database = await NewDatabaseAsync();
        var accounts = Enumerable.Range(0, userCount)
            .Select(i => new VMessAccount(VMessUserId.NewRandom(), 0, 0, $"user{i}@example.com")).ToArray();
        await using (var first = await RegistryNode.StartAsync(database))
        {
            var seeding = Stopwatch.StartNew();
            var report = await RegistrySeeder.SeedAsync(first.Registry, accounts, Bound);
            Assert.Equal(userCount, report.Applied);
            output.WriteLine($"{GetType().Name}: {userCount} users persisted in {seeding.ElapsedMilliseconds} ms");
        }

        var restart = Stopwatch.StartNew();
        await using var second = await RegistryNode.StartAsync(database);
        await Eventually.TrueAsync(() => second.Directory.Current.Accounts.Count == userCount, Bound,
            () => $"directory has {second.Directory.Current.Accounts.Count} of {userCount} accounts");
        output.WriteLine($"{GetType().Name}: {userCount} users re-projected {restart.ElapsedMilliseconds} ms after the new node started");
        Assert.Equal(accounts.Select(a => a.Id).ToHashSet(), second.Directory.Current.Accounts.Select(a => a.Id).ToHashSet());
    }

    private static UpsertUser Upsert(VMessAccount account) => new(account.Id, account.AlterId, account.Level, account.Email);

    private static async Task<UserCommandOutcome> Send(RegistryNode node, IUserRegistryCommand command) =>
        (await node.Registry.Ask<UserCommandResult>(command, Bound)).Outcome;
}
