using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using VMess.Protocol.Auth;

namespace VMess.Registry.Replay;

/// <summary>
/// One per node, at <c>/user/<see cref="Name"/></c>: makes an AEAD auth id accepted on this node refused on every
/// other. Woken by the <see cref="AuthIdOutbox"/> when ids start to queue, it drains the queue into
/// <see cref="SeenAuthIds"/> messages of at most <see cref="AuthIdExchangeSettings.MaxIdsPerMessage"/> ids and sends
/// each to the exchange of every other member (joining, up or weakly up, until it exits): at once when the last
/// batch went out at least a batch window ago, else when the window since it ends. So a quiet node's id goes out
/// without waiting, and a busy node sends one batch per window. What the other nodes send it is remembered in this
/// node's filter. A node that joins later does not learn the ids accepted before.
/// </summary>
public sealed class AuthIdExchange : ReceiveActor, IWithTimers
{
    public const string Name = "auth-id-exchange";

    private const string FlushTimer = "flush";

    private readonly AuthIdExchangeSettings _settings;
    private readonly AuthIdOutbox _outbox;
    private readonly AuthIdReplayFilter _filter;
    private readonly TimeProvider _clock;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly Dictionary<Address, ActorSelection> _peers = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly byte[] _scratch;
    private readonly AuthIdExchangeCounters _counters;
    private long _lastBatchAt = long.MinValue;

    /// <param name="counters">Where the exchange counts what it sends and receives (for metrics); its own when null.</param>
    public AuthIdExchange(AuthIdExchangeSettings settings, AuthIdOutbox outbox, AuthIdReplayFilter filter, TimeProvider clock,
        AuthIdExchangeCounters? counters = null)
    {
        _counters = counters ?? new AuthIdExchangeCounters();
        _settings = settings.EnsureValid();
        _outbox = outbox;
        _filter = filter;
        _clock = clock;
        _scratch = new byte[settings.MaxIdsPerMessage * SeenAuthIds.EntrySize];

        Receive<Wake>(_ => OnWake());
        Receive<Flush>(_ => SendQueued());
        Receive<SeenAuthIds>(OnSeen);
        Receive<ClusterEvent.MemberJoined>(e => AddPeer(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => AddPeer(e.Member));
        Receive<ClusterEvent.MemberUp>(e => AddPeer(e.Member));
        Receive<ClusterEvent.MemberExited>(e => RemovePeer(e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => RemovePeer(e.Member));
        Receive<GetAuthIdExchangeStats>(_ => Sender.Tell(_counters.Snapshot()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(AuthIdExchangeSettings settings, AuthIdOutbox outbox, AuthIdReplayFilter filter, TimeProvider? clock = null,
        AuthIdExchangeCounters? counters = null) =>
        Akka.Actor.Props.Create(() => new AuthIdExchange(settings, outbox, filter, clock ?? TimeProvider.System, counters));

    protected override void PreStart()
    {
        // A joining node's inbounds accept before it is up, so joining members are told too.
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberJoined), typeof(ClusterEvent.MemberWeaklyUp), typeof(ClusterEvent.MemberUp),
            typeof(ClusterEvent.MemberExited), typeof(ClusterEvent.MemberRemoved));
        _outbox.Bind(Self);
        // Ids accepted before the exchange ran woke nobody.
        Self.Tell(Wake.Instance);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void OnWake()
    {
        if (Timers.IsTimerActive(FlushTimer)) return;
        var sinceLastBatch = _lastBatchAt == long.MinValue ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(_lastBatchAt);
        if (sinceLastBatch >= _settings.BatchWindow) SendQueued();
        else Timers.StartSingleTimer(FlushTimer, Flush.Instance, _settings.BatchWindow - sinceLastBatch);
    }

    private void SendQueued()
    {
        _lastBatchAt = Stopwatch.GetTimestamp();
        _outbox.BeginDrain();
        if (_outbox.TakeDropped() is var dropped and > 0)
        {
            _counters.Dropped(dropped);
            _log.Warning("auth id exchange: {0} accepted auth id(s) were not shared with the other nodes ({1} already waiting); " +
                "a replay of them to another node is not refused", dropped, _settings.MaxPendingIds);
        }
        int count;
        do
        {
            count = 0;
            while (count < _settings.MaxIdsPerMessage && _outbox.TryTake(out var authId, out var expiresAt))
            {
                SeenAuthIds.Write(_scratch, count++, authId, expiresAt);
            }
            if (count == 0 || _peers.Count == 0) continue;
            var message = new SeenAuthIds(_scratch.AsSpan(0, count * SeenAuthIds.EntrySize).ToArray());
            foreach (var peer in _peers.Values) peer.Tell(message, ActorRefs.NoSender);
            _counters.Sent(count);
        }
        while (count == _settings.MaxIdsPerMessage);
    }

    private void OnSeen(SeenAuthIds seen)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        for (var i = 0; i < seen.Count; i++)
        {
            var (authId, expiresAt) = seen[i];
            _filter.Remember(authId, expiresAt, now);
        }
        _counters.Received(seen.Count);
    }

    private void AddPeer(Member member)
    {
        if (member.Address == _cluster.SelfAddress || _peers.ContainsKey(member.Address)) return;
        _peers[member.Address] = Context.ActorSelection(new RootActorPath(member.Address) / "user" / Name);
        _counters.PeersNow(_peers.Count);
        _log.Debug("auth id exchange: sharing accepted auth ids with {0} ({1} node(s))", member.Address, _peers.Count);
    }

    private void RemovePeer(Member member)
    {
        if (!_peers.Remove(member.Address)) return;
        _counters.PeersNow(_peers.Count);
        _log.Debug("auth id exchange: no longer sharing with {0} ({1} node(s))", member.Address, _peers.Count);
    }

    /// <summary>Sent by the outbox when the first id is queued after a drain.</summary>
    internal sealed class Wake
    {
        public static readonly Wake Instance = new();

        private Wake()
        {
        }
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();

        private Flush()
        {
        }
    }
}
