using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests;

/// <summary>The shard distribution logger on a one-node cluster: a shard starting here is logged once, at info.</summary>
public sealed class ShardDistributionLoggerSpec(ITestOutputHelper output)
    : TestKit(RegistryCluster.Setup(InfoLogging), RegistryCluster.SystemName, output), IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    // The logger speaks at info; the shared cluster config only lets warnings through.
    private static readonly Akka.Configuration.Config InfoLogging =
        Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = INFO").WithFallback(VMess.Registry.Persistence.RegistryPersistence.InMemory);

    public async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_shard_started_for_a_new_user_should_be_logged_with_the_users_it_holds()
    {
        var region = Sys.StartUserRegistry(RegistrySettings.Default);
        await region.Ask<UserCommandResult>(new UpsertUser(VMessUserId.NewRandom(), 0, 0, "dave@example.com"), Bound);
        var shard = new UserMessageExtractor(RegistrySettings.Default.ShardCount).ShardId("dave@example.com", null);

        await EventFilter.Info(contains: $"hosts 1 user shard(s) with 1 user(s); started here: {shard}; handed over or stopped: none")
            .ExpectOneAsync(Bound, () =>
            {
                Sys.StartShardDistributionLogger(region, TimeSpan.FromMilliseconds(100));
                return Task.CompletedTask;
            });
    }
}
