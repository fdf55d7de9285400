using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.DistributedData;
using VMess.Protocol.Auth;
using VMess.Registry.Dispatch;
using VMess.Registry.ReadModel;
using VMess.Registry.Replay;
using VMess.Registry.Traffic;

namespace VMess.Registry;

/// <summary>What the host calls to run the registry on a node.</summary>
public static class UserRegistryExtensions
{
    /// <summary>Sharding's type name for user entities.</summary>
    public const string TypeName = "vmess-user";

    /// <summary>Starts the user entities' shard region on this node and returns it.</summary>
    public static IActorRef StartUserRegistry(this ActorSystem system, RegistrySettings settings, ClusterShardingSettings? shardingSettings = null)
    {
        settings.EnsureValid();
        var clusterSharding = ClusterSharding.Get(system); // also loads sharding's default config, which Create reads
        CompactDequeMailbox.EnsureConfigured(system); // the entities' mailbox
        var sharding = shardingSettings ?? ClusterShardingSettings.Create(system);
        if (settings.Role is not null) sharding = sharding.WithRole(settings.Role);
        // Remembered entities must outlive every node: with the persistence state store the coordinator and the shards
        // keep them in the journal (ddata would need LMDB durable storage on each node instead).
        if (settings.RememberEntities) sharding = sharding.WithStateStoreMode(StateStoreMode.Persistence).WithRememberEntities(true);
        var ddata = DistributedData.Get(system);
        var replicator = ddata.Replicator;
        var self = Akka.Cluster.Cluster.Get(system).SelfUniqueAddress;
        return clusterSharding.Start(
            TypeName,
            userKey => UserEntity.Props(userKey, settings, replicator, self),
            sharding,
            new UserMessageExtractor(settings.ShardCount),
            clusterSharding.DefaultShardAllocationStrategy(sharding),
            UserEntity.StopWhenIdle.Instance);
    }

    /// <summary>Logs the user shards this node hosts whenever they change (<see cref="ShardDistributionLogger"/>).</summary>
    public static IActorRef StartShardDistributionLogger(this ActorSystem system, IActorRef region, TimeSpan? interval = null) =>
        system.ActorOf(ShardDistributionLogger.Props(region, interval ?? TimeSpan.FromSeconds(5)), "user-shard-distribution");

    /// <summary>Starts a proxy to the region on nodes that host no entities (not in <see cref="RegistrySettings.Role"/>).</summary>
    public static IActorRef StartUserRegistryProxy(this ActorSystem system, RegistrySettings settings) =>
        ClusterSharding.Get(system).StartProxy(TypeName, settings.Role!, new UserMessageExtractor(settings.EnsureValid().ShardCount));

    /// <summary>
    /// Starts this node's <see cref="RegistryProjector"/>, feeding <paramref name="sink"/>. Call it before joining the
    /// cluster: it loads DData, whose serializers must be registered before the first gossip arrives.
    /// </summary>
    public static IActorRef StartRegistryProjector(this ActorSystem system, RegistrySettings settings, IUserDirectorySink sink,
        RegistryProjectionStats? stats = null) =>
        system.ActorOf(RegistryProjector.Props(settings, sink, DistributedData.Get(system).Replicator, stats: stats), "user-registry-projector");

    /// <summary>
    /// Starts this node's <see cref="AuthIdExchange"/>: the auth ids that <paramref name="outbox"/> hears of (the listener
    /// of the node's registry replay guard) go to every other node, and theirs are remembered in <paramref name="filter"/>.
    /// </summary>
    public static IActorRef StartAuthIdExchange(this ActorSystem system, AuthIdExchangeSettings settings, AuthIdOutbox outbox,
        AuthIdReplayFilter filter, TimeProvider? clock = null, AuthIdExchangeCounters? counters = null) =>
        system.ActorOf(AuthIdExchange.Props(settings, outbox, filter, clock, counters), AuthIdExchange.Name);

    /// <summary>
    /// Starts this node's traffic accounting: a <see cref="TrafficReporter"/> that reports <paramref name="ledger"/>'s
    /// bytes to the users' entities through <paramref name="registry"/> (the region, or a proxy), and a
    /// <see cref="TrafficProjector"/> that keeps the node's view of every user's counters. Like the registry's projector,
    /// start it before joining (it subscribes to DData). <paramref name="reporter"/> defaults to a random identity.
    /// </summary>
    public static TrafficAccounting StartTrafficAccounting(this ActorSystem system, TrafficLedger ledger, IActorRef registry,
        RegistrySettings settings, TrafficSettings traffic, long? reporter = null)
    {
        settings.EnsureValid();
        traffic.EnsureValid();
        var view = new ClusterTrafficView(settings.BucketCount);
        system.ActorOf(TrafficProjector.Props(view, DistributedData.Get(system).Replicator, settings.ProjectionInterval), TrafficProjector.Name);
        var reporterActor = system.ActorOf(
            TrafficReporter.Props(ledger, registry, traffic, reporter ?? Random.Shared.NextInt64(1, long.MaxValue)), TrafficReporter.Name);
        return new TrafficAccounting(reporterActor, view, new ClusterTrafficStats(view, ledger, registry, traffic));
    }
}
