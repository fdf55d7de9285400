using System.Globalization;
using Microsoft.Extensions.Configuration;
using VMess.Registry;
using VMess.Registry.Online;
using VMess.Registry.Persistence;
using VMess.Registry.Replay;
using VMess.Registry.Traffic;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// How a node runs the cluster user registry: section <c>VMess:Registry</c> of the host configuration (cluster file or
/// environment, e.g. <c>VMess__Registry__MaximumFrameSize=16000000</c>). The layout settings (<see cref="BucketCount"/>,
/// <see cref="ShardCount"/>) must be the same on every node.
/// </summary>
public sealed record RegistryHostSettings
{
    public const string SectionName = "VMess:Registry";

    /// <summary>See <see cref="RegistrySettings.BucketCount"/>.</summary>
    public int BucketCount { get; init; } = RegistrySettings.Default.BucketCount;

    /// <summary>See <see cref="RegistrySettings.ShardCount"/>.</summary>
    public int ShardCount { get; init; } = RegistrySettings.Default.ShardCount;

    /// <summary>See <see cref="RegistrySettings.MajorityWriteTimeout"/>.</summary>
    public TimeSpan MajorityWriteTimeout { get; init; } = RegistrySettings.Default.MajorityWriteTimeout;

    /// <summary>
    /// Largest Akka.Remote frame (and socket buffers) in bytes. DData sends a joining node every differing bucket in
    /// one message: about 4 MB per 100,000 users (393 kB measured for 10,000). Akka's default is 128 kB.
    /// </summary>
    public int MaximumFrameSize { get; init; } = 8_000_000;

    /// <summary>
    /// DData gossip interval (Akka's default 2 s). Deltas go out every fifth of it (at least 200 ms), one node per
    /// tick, so 1 s gets a change to the nodes a majority write skipped within a few hundred ms.
    /// </summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the projectors read the user and traffic buckets from the node's replica, and DData tells the online
    /// view about changed keys (Akka's default notify interval is 500 ms).
    /// </summary>
    public TimeSpan NotifySubscribersInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the seeder waits for one user's upsert or removal before it retries the config.</summary>
    public TimeSpan SeedTimeoutPerUser { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>See <see cref="AuthIdExchangeSettings.BatchWindow"/>: how long accepted auth ids gather before they go to the other nodes.</summary>
    public TimeSpan AuthIdBatchWindow { get; init; } = AuthIdExchangeSettings.Default.BatchWindow;

    /// <summary>See <see cref="AuthIdExchangeSettings.MaxIdsPerMessage"/>.</summary>
    public int AuthIdsPerMessage { get; init; } = AuthIdExchangeSettings.Default.MaxIdsPerMessage;

    /// <summary>See <see cref="AuthIdExchangeSettings.MaxPendingIds"/>.</summary>
    public int MaxPendingAuthIds { get; init; } = AuthIdExchangeSettings.Default.MaxPendingIds;

    /// <summary>
    /// See <see cref="OnlineSettings.PublishInterval"/>: how often this node shares the users whose live connections
    /// changed with the other nodes (one DData write, none when nothing changed).
    /// </summary>
    public TimeSpan OnlinePublishInterval { get; init; } = OnlineSettings.Default.PublishInterval;

    /// <summary>
    /// Where the user entities and sharding's state are journaled (<c>VMess:Registry:Persistence</c>): a SQLite file
    /// next to the node's config by default; one PostgreSQL database shared by every node of a cluster.
    /// </summary>
    public RegistryPersistenceSettings Persistence { get; init; } = new();

    public static RegistryHostSettings From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<RegistryHostSettings>() ?? new RegistryHostSettings();

    /// <summary>See <see cref="RegistrySettings.SyncLagWarning"/>.</summary>
    public TimeSpan SyncLagWarning { get; init; } = RegistrySettings.Default.SyncLagWarning;

    /// <summary>See <see cref="RegistrySettings.SnapshotEvery"/>: a user entity's snapshot every this many events.</summary>
    public int SnapshotEvery { get; init; } = RegistrySettings.Default.SnapshotEvery;

    /// <summary>See <see cref="TrafficSettings.ReportInterval"/>: how often this node tells the users' entities of their new bytes.</summary>
    public TimeSpan TrafficReportInterval { get; init; } = TrafficSettings.Default.ReportInterval;

    /// <summary>See <see cref="TrafficSettings.ResendAfter"/>.</summary>
    public TimeSpan TrafficResendAfter { get; init; } = TrafficSettings.Default.ResendAfter;

    /// <summary>See <see cref="TrafficSettings.ResetTimeout"/>.</summary>
    public TimeSpan TrafficResetTimeout { get; init; } = TrafficSettings.Default.ResetTimeout;

    public RegistrySettings Registry => new()
    {
        BucketCount = BucketCount, ShardCount = ShardCount, MajorityWriteTimeout = MajorityWriteTimeout, SyncLagWarning = SyncLagWarning,
        SnapshotEvery = SnapshotEvery,
        // A bad value is reported once, under the name the operator set (Validate).
        ProjectionInterval = NotifySubscribersInterval > TimeSpan.Zero ? NotifySubscribersInterval : RegistrySettings.Default.ProjectionInterval,
    };

    public TrafficSettings Traffic => new()
    {
        ReportInterval = TrafficReportInterval, ResendAfter = TrafficResendAfter, ResetTimeout = TrafficResetTimeout,
    };

    public AuthIdExchangeSettings AuthIdExchange => new()
    {
        BatchWindow = AuthIdBatchWindow, MaxIdsPerMessage = AuthIdsPerMessage, MaxPendingIds = MaxPendingAuthIds,
    };

    public OnlineSettings Online => new() { PublishInterval = OnlinePublishInterval };

    /// <summary>Every problem at once, each naming its setting; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = Registry.Validate().Select(e => $"{SectionName}: {e}").ToList();
        errors.AddRange(AuthIdExchange.Validate().Select(e => $"{SectionName}: auth id exchange: {e}"));
        errors.AddRange(Online.Validate().Select(e => $"{SectionName}: online users: {e}"));
        errors.AddRange(Traffic.Validate().Select(e => $"{SectionName}: traffic: {e}"));
        if (MaximumFrameSize < 128_000) errors.Add($"{SectionName}:MaximumFrameSize {MaximumFrameSize} is below Akka's 128000 bytes");
        if (GossipInterval <= TimeSpan.Zero) errors.Add($"{SectionName}:GossipInterval {GossipInterval} is not positive");
        if (NotifySubscribersInterval <= TimeSpan.Zero) errors.Add($"{SectionName}:NotifySubscribersInterval {NotifySubscribersInterval} is not positive");
        if (SeedTimeoutPerUser <= TimeSpan.Zero) errors.Add($"{SectionName}:SeedTimeoutPerUser {SeedTimeoutPerUser} is not positive");
        errors.AddRange(Persistence.Validate().Select(e => $"{SectionName}:Persistence: {e}"));
        return errors;
    }

    /// <summary>
    /// Errors in how the journal fits the membership: a cluster whose seeds name more than one node must share
    /// PostgreSQL, since an entity that moves to another node recovers there from the journal, and a SQLite file per
    /// node would fork each user's history. (The in-memory journal is allowed, for tests: nothing survives anyway.)
    /// </summary>
    public IReadOnlyList<string> ValidateFor(ClusterMembershipSettings cluster)
    {
        var nodes = cluster.SeedAddresses().Distinct(StringComparer.OrdinalIgnoreCase).Count();
        return Persistence.Journal == RegistryJournal.Sqlite && nodes > 1
            ? [$"{SectionName}:Persistence:Journal is Sqlite, but the seeds name {nodes} nodes: a cluster of more than one node " +
               "must share one PostgreSQL database (Journal = PostgreSql and PostgreSqlConnectionString)"]
            : [];
    }

    /// <summary>DData's timings, as HOCON.</summary>
    public string DistributedDataHocon() => $$"""
        akka.cluster.distributed-data {
          gossip-interval = {{Milliseconds(GossipInterval)}}
          notify-subscribers-interval = {{Milliseconds(NotifySubscribersInterval)}}
        }
        """;

    private static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
