using Akka;
using Akka.Actor;
using Akka.Event;
using VMess.Registry;
using VMess.Registry.Traffic;
using VMess.Relay;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// The node's traffic accounting as the host runs it: the relay's ledger reported to the users' entities every
/// <c>TrafficReportInterval</c>, the node's view of every user's counters, and a last report before the node leaves
/// the cluster (coordinated shutdown's before-cluster-shutdown phase: after it the entities are out of reach, so the
/// reporter stops there, and what tunnels still carry while the node drains is counted on this node only).
/// </summary>
public static class NodeTraffic
{
    /// <summary>
    /// How long the last report waits for its answers. When every node stops at once, those that left first may have
    /// handed off the user's shard, and it can start again here only once the shard coordinator has moved to a node
    /// still in the cluster: about 4 s when a three-node cluster stopped under load (the old bound of 4 s was seen
    /// to lose the last node's report). A node that stops alone is answered within milliseconds.
    /// </summary>
    public static readonly TimeSpan FinalReportBound = TimeSpan.FromSeconds(10);

    /// <summary>Added to <see cref="FinalReportBound"/> for the phase's own timeout (<see cref="GracefulShutdown.PhaseTimeouts"/>).</summary>
    public static readonly TimeSpan FinalReportMargin = TimeSpan.FromSeconds(2);

    public static TrafficAccounting Start(ActorSystem system, RelayNode relay, IActorRef registry, RegistryHostSettings settings)
    {
        var traffic = system.StartTrafficAccounting(relay.Traffic, registry, settings.Registry, settings.Traffic);
        var log = Logging.GetLogger(system, "traffic");
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "report-traffic", async () =>
        {
            if (await traffic.FlushAsync(FinalReportBound)) log.Info("shutdown: traffic reported to the users' entities");
            else log.Warning("shutdown: traffic reports not all answered within {0}; their bytes may be lost", FinalReportBound);
            traffic.Reporter.Tell(PoisonPill.Instance);
            return Done.Instance;
        });
        return traffic;
    }
}
