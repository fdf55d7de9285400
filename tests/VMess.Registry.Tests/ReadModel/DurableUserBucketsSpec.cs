using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.Persistence;
using VMess.Registry.ReadModel;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.ReadModel;

/// <summary>
/// A node's own file of the user buckets (<see cref="DurableUserBuckets"/>). Every node here journals in memory, so
/// whatever a restarted node serves came from that file, not from recovering entities.
/// </summary>
public sealed class DurableUserBucketsSpec(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly VMessAccount Alice = new(VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811"), 0, 1, "alice@example.com");
    private static readonly VMessAccount Bob = new(VMessUserId.Parse("3b0d5a5e-5a10-4c5e-9d5a-1d2e0c7c8f01"), 4, 0, "bob@example.com");

    // VMESS_DURABLE_USERS=100000 measures another count (not in CI).
    private static readonly int UserCount =
        int.TryParse(Environment.GetEnvironmentVariable("VMESS_DURABLE_USERS"), out var count) && count > 0 ? count : 2000;

    private readonly string _directory = Directory.CreateTempSubdirectory("vmess-durable-users-").FullName;

    private Config Node => DurableUserBuckets.Config(Path.Combine(_directory, DurableUserBuckets.DefaultFileName(0))).WithFallback(RegistryPersistence.InMemory);

    [Fact]
    public async Task Every_user_should_be_served_again_from_the_nodes_file_as_soon_as_it_restarts()
    {
        var accounts = Enumerable.Range(0, UserCount).Select(i => new VMessAccount(VMessUserId.NewRandom(), 0, 0, $"user{i}@example.com")).ToArray();
        await using (var first = await RegistryNode.StartAsync(Node))
        {
            var seeding = Stopwatch.StartNew();
            Assert.Equal(UserCount, (await RegistrySeeder.SeedAsync(first.Registry, accounts, Bound)).Applied);
            output.WriteLine($"{UserCount} users seeded in {seeding.ElapsedMilliseconds} ms");
        }

        var restart = Stopwatch.StartNew();
        await using var second = await RegistryNode.StartAsync(Node);
        await Eventually.TrueAsync(() => second.Directory.Current.Accounts.Count == UserCount, Bound,
            () => $"directory has {second.Directory.Current.Accounts.Count} of {UserCount} accounts");
        output.WriteLine($"{UserCount} users served again {restart.ElapsedMilliseconds} ms after the new node started " +
                         $"(file {new FileInfo(Path.Combine(_directory, DurableUserBuckets.DefaultFileName(0))).Length / 1024} KiB)");
        Assert.Equal(accounts.Select(a => a.Id).ToHashSet(), second.Directory.Current.Accounts.Select(a => a.Id).ToHashSet());
    }

    [Fact]
    public async Task A_user_removed_or_disabled_before_the_restart_should_not_come_back_from_the_file()
    {
        await using (var first = await RegistryNode.StartAsync(Node))
        {
            await Send(first, new UpsertUser(Alice.Id, Alice.AlterId, Alice.Level, Alice.Email));
            await Send(first, new UpsertUser(Bob.Id, Bob.AlterId, Bob.Level, Bob.Email));
            await Send(first, new UpsertUser(VMessUserId.NewRandom(), 0, 0, "carol@example.com"));
            await Send(first, new RemoveUser(Alice.Email!));
            await Send(first, new DisableUser("carol@example.com"));
        }

        await using var second = await RegistryNode.StartAsync(Node);
        await Eventually.TrueAsync(() => second.Directory.Current.DisabledCount == 1, Bound,
            () => $"directory has {second.Directory.Current.Accounts.Count} accounts, {second.Directory.Current.DisabledCount} disabled");
        Assert.Equal([Bob], second.Directory.Current.Accounts);
    }

    [Fact]
    public async Task A_change_after_a_quiet_interval_should_be_on_disk_at_once_not_after_the_write_behind_interval()
    {
        var path = Path.Combine(_directory, "quiet.db");
        var node = DurableUserBuckets.Config(path, writeBehind: TimeSpan.FromMinutes(10)).WithFallback(RegistryPersistence.InMemory);
        await using var running = await RegistryNode.StartAsync(node);

        await Send(running, new UpsertUser(Alice.Id, Alice.AlterId, Alice.Level, Alice.Email));

        var bucket = UserBuckets.KeyFor(Alice.Email!, RegistrySettings.Default.BucketCount).Id;
        await Eventually.TrueAsync(() => StoredKeys(path).Contains(bucket), Bound, () => $"stored: {string.Join(", ", StoredKeys(path))}");
    }

    private static List<string> StoredKeys(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM ddata";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read()) keys.Add(reader.GetString(0));
        return keys;
    }

    [Fact]
    public void Config_should_make_only_the_user_buckets_durable_in_the_given_file()
    {
        var config = DurableUserBuckets.Config("/var/lib/vmess/users.db", TimeSpan.FromMilliseconds(50)).GetConfig("akka.cluster.distributed-data.durable");

        Assert.Equal(["users-*"], config.GetStringList("keys"));
        Assert.Equal("/var/lib/vmess/users.db", config.GetString("sqlite.path"));
        Assert.Equal(TimeSpan.FromMilliseconds(50), config.GetTimeSpan("sqlite.write-behind-interval"));
        Assert.Equal(typeof(SqliteDurableStore), Type.GetType(config.GetString("store-actor-class")));
    }

    [Theory]
    [InlineData(0, "vmess-users.db")]
    [InlineData(4053, "vmess-users-4053.db")]
    public void Default_file_name_should_tell_nodes_sharing_a_folder_apart_by_their_port(int port, string expected) =>
        Assert.Equal(expected, DurableUserBuckets.DefaultFileName(port));

    private static async Task Send(RegistryNode node, IUserRegistryCommand command) =>
        Assert.Equal(UserCommandOutcome.Applied, (await node.Registry.Ask<UserCommandResult>(command, Bound)).Outcome);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
