using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;

namespace VMess.Registry.Online;

/// <summary>
/// One per node: every <see cref="OnlineSettings.PublishInterval"/> it takes the users whose connections changed on
/// this node (<see cref="ILocalConnections"/>) and writes them, in one update, into the node's own DData key
/// (<see cref="OnlineKeys"/>): a user with connections as its <see cref="OnlineUser"/> here, a user without as a
/// removal. Nothing is written when nothing changed. The write goes to every node at once (WriteAll, so a change does
/// not wait for gossip); a node that does not answer gets it by gossip later, which is only logged at debug.
/// </summary>
public sealed class OnlinePublisher : ReceiveActor, IWithTimers
{
    private const string TickTimer = "publish";

    private readonly OnlineSettings _settings;
    private readonly ILocalConnections _source;
    private readonly IActorRef _replicator;
    private readonly UniqueAddress _self;
    private readonly LWWDictionaryKey<string, OnlineUser> _key;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public OnlinePublisher(OnlineSettings settings, ILocalConnections source, IActorRef replicator, UniqueAddress self)
    {
        _settings = settings.EnsureValid();
        _source = source;
        _replicator = replicator;
        _self = self;
        _key = OnlineKeys.For(self);

        Receive<Tick>(_ => Publish());
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateResponse>(response =>
            _log.Debug("online: writing {0} answered {1}; gossip carries it to the nodes that did not answer", _key.Id, response.GetType().Name));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(OnlineSettings settings, ILocalConnections source, IActorRef replicator, UniqueAddress self) =>
        Akka.Actor.Props.Create(() => new OnlinePublisher(settings, source, replicator, self));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.PublishInterval);

    private void Publish()
    {
        var changed = _source.TakeChangedUsers();
        if (changed.Count == 0) return;
        var entries = new (string Key, OnlineUser? User)[changed.Count];
        var i = 0;
        foreach (var key in changed) entries[i++] = (key, _source.Describe(key));
        var self = _self;
        _replicator.Tell(Dsl.Update(_key, LWWDictionary<string, OnlineUser>.Empty, new WriteAll(_settings.PublishInterval),
            map => Apply(map, entries, self)));
    }

    private static LWWDictionary<string, OnlineUser> Apply(LWWDictionary<string, OnlineUser> map, (string Key, OnlineUser? User)[] entries,
        UniqueAddress self)
    {
        foreach (var (key, user) in entries)
        {
            if (user is not null) map = map.SetItem(self, key, user);
            else if (map.ContainsKey(key)) map = map.Remove(self, key);
        }
        return map;
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();

        private Tick()
        {
        }
    }
}
