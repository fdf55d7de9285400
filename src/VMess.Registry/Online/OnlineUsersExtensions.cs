using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;

namespace VMess.Registry.Online;

/// <summary>What the host calls to share a node's live connections and read everyone's.</summary>
public static class OnlineUsersExtensions
{
    /// <summary>
    /// Starts this node's <see cref="OnlinePublisher"/> (publishing <paramref name="connections"/>) and
    /// <see cref="OnlineView"/> (feeding <paramref name="view"/>, or a new one). Start it before joining the cluster,
    /// like the projector. Returns the view, the node's <see cref="IOnlineUsers"/>.
    /// </summary>
    public static ClusterOnlineUsers StartOnlineUsers(this ActorSystem system, OnlineSettings settings, ILocalConnections connections,
        ClusterOnlineUsers? view = null)
    {
        settings.EnsureValid();
        view ??= new ClusterOnlineUsers();
        var replicator = DistributedData.Get(system).Replicator;
        system.ActorOf(OnlinePublisher.Props(settings, connections, replicator, Cluster.Get(system).SelfUniqueAddress), "online-publisher");
        system.ActorOf(OnlineView.Props(replicator, view), "online-view");
        return view;
    }
}
