using System.Diagnostics;
using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;
using VMess.Protocol.Auth;
using VMess.Registry.Messages;

namespace VMess.Registry.ReadModel;

/// <summary>
/// One per node. Reads every user bucket from the local DData replica each <see cref="RegistrySettings.ProjectionInterval"/>
/// (<see cref="LocalReplicaPoll{T}"/>: a subscription would cost a digest of the whole bucket per change) and, whenever one changed, rebuilds the node's
/// <see cref="UserDirectory"/> on the thread pool and hands it to the sink. At most one rebuild runs at a time;
/// changes arriving meanwhile are folded into the next one, so a burst costs one or two rebuilds, not one per user.
/// Only changed buckets are re-read; the others reuse their accounts from the previous rebuild.
/// Each rebuild measures the sync lag: from the newest change's write by its entity (<see cref="UserRecord.WrittenAt"/>,
/// the writer's clock) to its publication here. Records written before this projector started are catch-up, not lag.
/// </summary>
public sealed class RegistryProjector : ReceiveActor, IWithTimers
{
    private readonly RegistrySettings _settings;
    private readonly IUserDirectorySink _sink;
    private readonly IActorRef _replicator;
    private readonly LocalReplicaPoll<LWWDictionary<string, UserRecord>> _poll;
    private readonly LWWDictionary<string, UserRecord>?[] _latest;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private BucketView[] _views;
    private readonly TimeProvider _time;
    private readonly RegistryProjectionStats? _stats;
    private readonly long _startedAt;
    private bool _rebuilding;
    private bool _dirty;
    private long _version;

    /// <param name="stats">Where the last directory's size and sync lag are kept for metrics; none when null.</param>
    public RegistryProjector(RegistrySettings settings, IUserDirectorySink sink, IActorRef replicator, TimeProvider? time = null,
        RegistryProjectionStats? stats = null)
    {
        _time = time ?? TimeProvider.System;
        _stats = stats;
        _startedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _settings = settings.EnsureValid();
        _sink = sink;
        _replicator = replicator;
        _latest = new LWWDictionary<string, UserRecord>?[settings.BucketCount];
        _views = Enumerable.Repeat(BucketView.Empty, settings.BucketCount).ToArray();
        _poll = new LocalReplicaPoll<LWWDictionary<string, UserRecord>>(
            Enumerable.Range(0, settings.BucketCount).Select(UserBuckets.Key).ToArray());

        Receive<LocalReplicaPollTick>(_ => _poll.Poll(_replicator, Self));
        Receive<IGetResponse>(OnRead);
        Receive<Rebuilt>(OnRebuilt);
        Receive<RebuildFailed>(failed =>
        {
            _log.Error(failed.Cause, "User directory rebuild failed; the previous directory stays in use until the next change");
            _rebuilding = false;
        });
    }

    public static Props Props(RegistrySettings settings, IUserDirectorySink sink, IActorRef replicator, TimeProvider? time = null,
        RegistryProjectionStats? stats = null) =>
        Akka.Actor.Props.Create(() => new RegistryProjector(settings, sink, replicator, time, stats));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _poll.Start(Timers, _replicator, Self, _settings.ProjectionInterval);
    }

    private void OnRead(IGetResponse response)
    {
        if (!_poll.TryTakeChange(response, out var bucket, out var data)) return;
        _latest[bucket] = data;
        _dirty = true;
        StartRebuildIfIdle();
    }

    private void OnRebuilt(Rebuilt rebuilt)
    {
        _views = rebuilt.Views;
        _rebuilding = false;
        _stats?.Published(rebuilt.Directory, rebuilt.SyncLag);
        _log.Debug("User directory v{0}: {1} served, {2} disabled, {3} suspended, rebuilt in {4} ms", rebuilt.Directory.Version,
            rebuilt.Directory.Accounts.Count, rebuilt.Directory.DisabledCount, rebuilt.Directory.SuspendedKeys.Count, rebuilt.Elapsed.TotalMilliseconds);
        if (rebuilt.SyncLag is { } lag)
        {
            if (lag > _settings.SyncLagWarning)
                _log.Warning("registry: sync lag {0} ms: a user change reached this node's tables {0} ms after it was written (target {1} ms)",
                    (long)lag.TotalMilliseconds, (long)_settings.SyncLagWarning.TotalMilliseconds);
            else _log.Debug("registry: sync lag {0} ms", (long)lag.TotalMilliseconds);
        }
        StartRebuildIfIdle();
    }

    private void StartRebuildIfIdle()
    {
        if (_rebuilding || !_dirty) return;
        _rebuilding = true;
        _dirty = false;
        var version = ++_version;
        var latest = (LWWDictionary<string, UserRecord>?[])_latest.Clone();
        var previous = _views;
        var sink = _sink;
        var startedAt = _startedAt;
        var time = _time;
        Task.Run(() => Rebuild(version, latest, previous, sink, startedAt, time))
            .PipeTo(Self, failure: cause => new RebuildFailed(cause));
    }

    private static Rebuilt Rebuild(long version, LWWDictionary<string, UserRecord>?[] latest, BucketView[] previous, IUserDirectorySink sink, long startedAt, TimeProvider time)
    {
        var started = Stopwatch.GetTimestamp();
        var views = new BucketView[latest.Length];
        var enabledCount = 0;
        var disabledCount = 0;
        for (var i = 0; i < latest.Length; i++)
        {
            views[i] = ReferenceEquals(previous[i].Data, latest[i]) ? previous[i] : BucketView.From(latest[i]);
            enabledCount += views[i].Enabled.Length;
            disabledCount += views[i].DisabledKeys.Length;
        }
        var accounts = new VMessAccount[enabledCount];
        var offset = 0;
        foreach (var view in views)
        {
            view.Enabled.CopyTo(accounts, offset);
            offset += view.Enabled.Length;
        }
        var disabledKeys = new HashSet<string>(disabledCount, StringComparer.Ordinal);
        var suspendedKeys = new Dictionary<string, UserSuspension>(StringComparer.Ordinal);
        var connectionLimits = new Dictionary<string, UserLimits>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            disabledKeys.UnionWith(view.DisabledKeys);
            foreach (var (key, suspension) in view.Suspended) suspendedKeys[key] = suspension;
            foreach (var (key, limits) in view.ConnectionLimits) connectionLimits[key] = limits;
        }
        var directory = new UserDirectory(version, accounts, disabledCount)
        {
            DisabledKeys = disabledKeys,
            SuspendedKeys = suspendedKeys,
            ConnectionLimits = connectionLimits,
        };
        sink.Publish(directory);
        // The newest write that is new to this node, among the buckets that changed.
        var newest = 0L;
        for (var i = 0; i < views.Length; i++)
        {
            if (views[i].LastWrittenAt > Math.Max(previous[i].LastWrittenAt, startedAt)) newest = Math.Max(newest, views[i].LastWrittenAt);
        }
        TimeSpan? lag = newest == 0 ? null : TimeSpan.FromMilliseconds(Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - newest));
        return new Rebuilt(views, directory, Stopwatch.GetElapsedTime(started), lag);
    }

    private sealed record BucketView(LWWDictionary<string, UserRecord>? Data, VMessAccount[] Enabled, string[] DisabledKeys, long LastWrittenAt)
    {
        public static BucketView Empty { get; } = new(null, [], [], 0);

        /// <summary>The enabled users suspended for their quota or expiry (rare, so usually empty).</summary>
        public IReadOnlyList<KeyValuePair<string, UserSuspension>> Suspended { get; private init; } = [];

        /// <summary>The served users with a connection or source-IP limit.</summary>
        public IReadOnlyList<KeyValuePair<string, UserLimits>> ConnectionLimits { get; private init; } = [];

        public static BucketView From(LWWDictionary<string, UserRecord>? data)
        {
            if (data is null) return Empty;
            var enabled = new List<VMessAccount>(data.Count);
            List<string>? disabled = null;
            List<KeyValuePair<string, UserSuspension>>? suspended = null;
            List<KeyValuePair<string, UserLimits>>? limited = null;
            var lastWrittenAt = 0L;
            foreach (var (key, record) in data)
            {
                if (!record.Enabled) (disabled ??= []).Add(key);
                else if (record.Suspension != UserSuspension.None) (suspended ??= []).Add(new(key, record.Suspension));
                else
                {
                    enabled.Add(record.ToAccount());
                    if (record.Limits.LimitsConnections) (limited ??= []).Add(new(key, record.Limits));
                }
                lastWrittenAt = Math.Max(lastWrittenAt, record.WrittenAt);
            }
            return new BucketView(data, enabled.ToArray(), disabled?.ToArray() ?? [], lastWrittenAt)
            {
                Suspended = suspended ?? [],
                ConnectionLimits = limited ?? [],
            };
        }
    }

    private sealed record Rebuilt(BucketView[] Views, UserDirectory Directory, TimeSpan Elapsed, TimeSpan? SyncLag);

    private sealed record RebuildFailed(Exception Cause);
}
