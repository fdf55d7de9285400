using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;

namespace VMess.Registry.Online;

/// <summary>
/// One per node: follows the members (joining, weakly up, up, until removed), subscribes to each one's DData key
/// (<see cref="OnlineKeys"/>, this node's included) and hands every reachable member's latest map to the
/// <see cref="ClusterOnlineUsers"/> whenever one changes. An unreachable member's connections leave the view until it
/// is reachable again (a crashed node must not hold its users' connections against them), and when a member is
/// removed its key is deleted, so its entries leave DData too (every node deletes it; deleting twice is harmless).
/// </summary>
public sealed class OnlineView : ReceiveActor
{
    private readonly IActorRef _replicator;
    private readonly ClusterOnlineUsers _target;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly Dictionary<UniqueAddress, LWWDictionary<string, OnlineUser>> _published = new();
    private readonly Dictionary<string, UniqueAddress> _memberByKeyId = new(StringComparer.Ordinal);
    private readonly HashSet<UniqueAddress> _unreachable = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public OnlineView(IActorRef replicator, ClusterOnlineUsers target)
    {
        _replicator = replicator;
        _target = target;

        Receive<ClusterEvent.MemberJoined>(e => Follow(e.Member.UniqueAddress));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Follow(e.Member.UniqueAddress));
        Receive<ClusterEvent.MemberUp>(e => Follow(e.Member.UniqueAddress));
        Receive<ClusterEvent.MemberRemoved>(e => Forget(e.Member.UniqueAddress));
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            if (_unreachable.Add(e.Member.UniqueAddress)) Publish();
        });
        Receive<ClusterEvent.ReachableMember>(e =>
        {
            if (_unreachable.Remove(e.Member.UniqueAddress)) Publish();
        });
        Receive<Changed>(OnChanged);
        Receive<IDeleteResponse>(_ => { });
    }

    public static Props Props(IActorRef replicator, ClusterOnlineUsers target) =>
        Akka.Actor.Props.Create(() => new OnlineView(replicator, target));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberJoined), typeof(ClusterEvent.MemberWeaklyUp), typeof(ClusterEvent.MemberUp),
            typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Follow(UniqueAddress member)
    {
        var key = OnlineKeys.For(member);
        if (!_memberByKeyId.TryAdd(key.Id, member)) return;
        _replicator.Tell(Dsl.Subscribe(key, Self));
    }

    private void Forget(UniqueAddress member)
    {
        var key = OnlineKeys.For(member);
        if (!_memberByKeyId.Remove(key.Id)) return;
        _replicator.Tell(Dsl.Unsubscribe(key, Self));
        _unreachable.Remove(member);
        if (_published.Remove(member, out var map))
        {
            _log.Info("online: {0} left the cluster; its {1} online user(s) leave the view", member.Address, map.Count);
            Publish();
        }
        _replicator.Tell(Dsl.Delete(key, WriteLocal.Instance));
    }

    private void OnChanged(Changed changed)
    {
        if (!_memberByKeyId.TryGetValue(changed.Key.Id, out var member)) return;
        _published[member] = changed.Get(OnlineKeys.For(member));
        Publish();
    }

    private void Publish() =>
        _target.Replace(OnlineKeys.For(_cluster.SelfUniqueAddress).Id, _published.Where(p => !_unreachable.Contains(p.Key))
            .Select(p => new KeyValuePair<string, LWWDictionary<string, OnlineUser>>(OnlineKeys.For(p.Key).Id, p.Value)).ToArray());
}
