using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.TestKit.Xunit2;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.ReadModel;

/// <summary>
/// Measurements at 10,000 users, printed to the test output: read-model memory per user, and how long a node that
/// joins takes to project every user into its authentication index. Bounds are generous; the figures are the point.
/// <c>VMESS_SCALE_USERS=100000</c> measures another count (not in CI: seeding 100,000 users takes minutes).
/// </summary>
public sealed class RegistryScaleSpec(ITestOutputHelper output)
    : TestKit(RegistryCluster.Setup(), RegistryCluster.SystemName, output), IAsyncLifetime
{
    private static readonly int UserCount =
        int.TryParse(Environment.GetEnvironmentVariable("VMESS_SCALE_USERS"), out var count) && count > 0 ? count : 10_000;

    // Seeding and joining grow with the count: 60 s per 10,000 users, at least 60 s.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(Math.Max(60, UserCount / 10_000 * 60));
    private readonly ITestOutputHelper _output = output;

    public async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Read_model_memory_per_user_should_be_measured_at_ten_thousand_users()
    {
        var settings = RegistrySettings.Default;
        var holder = new UserDirectoryHolder();
        var index = new UserKeyIndex();
        Sys.StartRegistryProjector(settings, holder);
        var records = Records(seed: 1);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        await WriteBucketsAsync(records, settings);
        await AwaitConditionAsync(() => Task.FromResult(holder.Current.Accounts.Count == UserCount), Bound, TimeSpan.FromMilliseconds(20));
        var afterDirectory = GC.GetTotalMemory(forceFullCollection: true);
        index.Replace(holder.Current.Accounts, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var afterIndex = GC.GetTotalMemory(forceFullCollection: true);

        var readModelPerUser = (afterDirectory - baseline) / (double)UserCount;
        var indexPerUser = (afterIndex - afterDirectory) / (double)UserCount;
        _output.WriteLine($"{UserCount} users: DData replica + directory {readModelPerUser:F0} B/user, UserKeyIndex {indexPerUser:F0} B/user, " +
                          $"total {readModelPerUser + indexPerUser:F0} B/user (target < 4096)");
        Assert.Equal(UserCount, index.Count);
        GC.KeepAlive(records);
        Assert.InRange(readModelPerUser + indexPerUser, 0, 16 * 1024);
    }

    [Fact]
    public async Task Joining_node_should_project_every_user_within_the_bound()
    {
        var settings = RegistrySettings.Default;
        var registryA = Sys.StartUserRegistry(settings);
        var accounts = Records(seed: 2).Select(r => r.ToAccount()).ToArray();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var seedWatch = Stopwatch.StartNew();
        var report = await RegistrySeeder.SeedAsync(registryA, accounts, Bound);
        var seededAfter = seedWatch.ElapsedMilliseconds;
        // Node A hosts every entity (live: remember-entities keeps them), its journal (in memory here) and the DData replica.
        var perUser = (GC.GetTotalMemory(forceFullCollection: true) - baseline) / (double)UserCount;
        _output.WriteLine($"seeded {report.Applied} users through the shard region in {seededAfter} ms; the node hosting every entity " +
                          $"holds {perUser:F0} B/user more (entities + in-memory journal + DData replica)");
        Assert.Equal(new SeedReport(UserCount, 0), report);

        var nodeB = RegistryCluster.CreateNode();
        try
        {
            var index = new UserKeyIndex();
            var holder = new UserDirectoryHolder();
            nodeB.StartRegistryProjector(settings, new TeeSink(holder, new UserKeyIndexSink([index], TimeProvider.System)));
            var joinWatch = Stopwatch.StartNew();
            await Cluster.Get(nodeB).JoinAsync(Cluster.Get(Sys).SelfAddress).WaitAsync(Bound);
            var upAfter = joinWatch.ElapsedMilliseconds;
            await AwaitConditionAsync(() => Task.FromResult(index.Count == UserCount), Bound, TimeSpan.FromMilliseconds(20));
            _output.WriteLine($"node B: member Up after {upAfter} ms, all {UserCount} users in its UserKeyIndex after {joinWatch.ElapsedMilliseconds} ms " +
                              $"(directory v{holder.Current.Version})");
        }
        finally
        {
            await nodeB.Terminate().WaitAsync(Bound);
        }
    }

    [Fact]
    public async Task Seeding_the_same_clients_again_should_change_nothing()
    {
        var registry = Sys.StartUserRegistry(RegistrySettings.Default);
        var clients = Records(seed: 3).Take(50).Select(r => r.ToAccount()).ToArray();
        Assert.Equal(new SeedReport(50, 0), await RegistrySeeder.SeedAsync(registry, clients, TimeSpan.FromSeconds(10)));
        Assert.Equal(new SeedReport(0, 50), await RegistrySeeder.SeedAsync(registry, clients, TimeSpan.FromSeconds(10)));
    }

    private async Task WriteBucketsAsync(UserRecord[] records, RegistrySettings settings)
    {
        var replicator = DistributedData.Get(Sys).Replicator;
        var self = Cluster.Get(Sys).SelfUniqueAddress;
        var writes = records.GroupBy(r => UserBuckets.BucketOf(r.Key, settings.BucketCount)).Select(bucket =>
            replicator.Ask<IUpdateResponse>(Dsl.Update(UserBuckets.Key(bucket.Key), LWWDictionary<string, UserRecord>.Empty, WriteLocal.Instance,
                dictionary => bucket.Aggregate(dictionary, (d, r) => d.SetItem(self, r.Key, r))), Bound));
        Assert.All(await Task.WhenAll(writes), response => Assert.IsType<UpdateSuccess>(response));
    }

    private static UserRecord[] Records(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[16];
        return Enumerable.Range(0, UserCount).Select(i =>
        {
            random.NextBytes(bytes);
            return new UserRecord(VMessUserId.FromBytes(bytes), 0, 0, $"user{i}-{seed}@example.com", true, 1);
        }).ToArray();
    }

    private sealed class TeeSink(params IUserDirectorySink[] sinks) : IUserDirectorySink
    {
        public void Publish(UserDirectory directory)
        {
            foreach (var sink in sinks) sink.Publish(directory);
        }
    }
}
