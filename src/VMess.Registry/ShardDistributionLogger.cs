using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;

namespace VMess.Registry;

/// <summary>
/// Logs which user shards this node hosts whenever that changes: a handover after a member joined or left (or was
/// downed), or new shards for new users. Polls the local shard region's state, a local message, every
/// <c>interval</c>; sharding itself only says this at debug level.
/// </summary>
public sealed class ShardDistributionLogger : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private HashSet<string>? _hosted;

    public ShardDistributionLogger(IActorRef region, TimeSpan interval)
    {
        Receive<Poll>(_ => region.Tell(GetShardRegionState.Instance));
        Receive<CurrentShardRegionState>(OnState);
        Timers!.StartPeriodicTimer("poll", Poll.Instance, TimeSpan.Zero, interval);
    }

    public ITimerScheduler? Timers { get; set; }

    public static Props Props(IActorRef region, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new ShardDistributionLogger(region, interval));

    private void OnState(CurrentShardRegionState state)
    {
        var hosted = state.Shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
        var previous = _hosted ?? [];
        _hosted = hosted;
        var started = hosted.Except(previous).Order(StringComparer.Ordinal).ToArray();
        var stopped = previous.Except(hosted).Order(StringComparer.Ordinal).ToArray();
        if (started.Length == 0 && stopped.Length == 0) return;
        var users = state.Shards.Sum(s => s.EntityIds.Count);
        _log.Info("registry: this node hosts {0} user shard(s) with {1} user(s); started here: {2}; handed over or stopped: {3}",
            hosted.Count, users, List(started), List(stopped));
    }

    private static string List(string[] shards) => shards.Length == 0 ? "none" : string.Join(", ", shards);

    private sealed class Poll
    {
        public static Poll Instance { get; } = new();
    }
}
