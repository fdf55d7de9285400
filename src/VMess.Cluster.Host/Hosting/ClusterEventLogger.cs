using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// Logs membership as this node sees it, one line per event: joins, ups, leaves and removals and leader changes at
/// info, unreachable and downed members at warning (an operator should look), role leaders at debug.
/// </summary>
public sealed class ClusterEventLogger : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly HashSet<Address> _up = [];

    public ClusterEventLogger()
    {
        Receive<ClusterEvent.MemberJoined>(e => _log.Info("cluster: member joined: {0}{1}", e.Member.Address, Roles(e.Member)));
        Receive<ClusterEvent.MemberUp>(e =>
        {
            _up.Add(e.Member.Address);
            _log.Info("cluster: member up: {0}{1} ({2} member(s) up)", e.Member.Address, Roles(e.Member), _up.Count);
        });
        Receive<ClusterEvent.MemberLeft>(e => _log.Info("cluster: member leaving: {0}", e.Member.Address));
        Receive<ClusterEvent.MemberExited>(e => _log.Info("cluster: member exited: {0}", e.Member.Address));
        Receive<ClusterEvent.MemberDowned>(e => _log.Warning("cluster: member downed: {0}", e.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            _up.Remove(e.Member.Address);
            if (e.PreviousStatus == MemberStatus.Down)
            {
                _log.Warning("cluster: member removed after being downed: {0} ({1} member(s) up)", e.Member.Address, _up.Count);
            }
            else
            {
                _log.Info("cluster: member removed: {0}, was {1} ({2} member(s) up)", e.Member.Address, e.PreviousStatus, _up.Count);
            }
        });
        Receive<ClusterEvent.UnreachableMember>(e => _log.Warning("cluster: member unreachable: {0}", e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => _log.Info("cluster: member reachable again: {0}", e.Member.Address));
        Receive<ClusterEvent.LeaderChanged>(e => _log.Info("cluster: leader is now {0}", e.Leader?.ToString() ?? "(none)"));
        Receive<ClusterEvent.RoleLeaderChanged>(e => _log.Debug("cluster: leader of role {0} is now {1}", e.Role, e.Leader?.ToString() ?? "(none)"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create<ClusterEventLogger>();

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged),
            typeof(ClusterEvent.RoleLeaderChanged));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private static string Roles(Member member) => member.Roles.IsEmpty ? string.Empty : $" [{string.Join(", ", member.Roles)}]";
}
