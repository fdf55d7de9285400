using System.Diagnostics;
using Akka;
using Akka.Actor;
using Akka.Event;
using VMess.Relay;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// What SIGTERM and Ctrl+C do, as coordinated-shutdown tasks in Akka's phase order: stop accepting (service-unbind;
/// open connections run on), leave the cluster (Akka's cluster-leave/exiting phases, logged around), let open
/// tunnels finish up to <see cref="ClusterMembershipSettings.ShutdownDrainDeadline"/> (before-actor-system-terminate),
/// then close what is left and terminate.
/// </summary>
public static class GracefulShutdown
{
    /// <summary>Added to the drain deadline for the phase's own timeout, so Akka never cuts the drain short.</summary>
    public static readonly TimeSpan DrainPhaseMargin = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(100);

    public static void Register(ActorSystem system, RelayNode relay, TimeSpan drainDeadline)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        var log = Logging.GetLogger(system, "shutdown");
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-accepting", () =>
        {
            log.Info("shutdown ({0}): stopped accepting; {1} connection(s) open run on", Reason(shutdown), relay.OpenConnections);
            relay.StopAccepting();
            return Task.FromResult(Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "log-leaving", () =>
        {
            log.Info("shutdown: leaving the cluster");
            return Task.FromResult(Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseClusterShutdown, "log-left", () =>
        {
            log.Info("shutdown: left the cluster");
            return Task.FromResult(Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "drain-connections", async () =>
        {
            var open = relay.OpenConnections;
            if (open > 0) log.Info("shutdown: waiting up to {0} for {1} open connection(s) to finish", drainDeadline, open);
            var waited = Stopwatch.StartNew();
            while ((open = relay.OpenConnections) > 0 && waited.Elapsed < drainDeadline) await Task.Delay(DrainPollInterval);
            if (open > 0) log.Warning("shutdown: {0} connection(s) still open after {1}; closing them", open, drainDeadline);
            else log.Info("shutdown: no connection open");
            relay.Stop();
            log.Info("shutdown: terminating");
            return Done.Instance;
        });
    }

    private static string Reason(CoordinatedShutdown shutdown) => shutdown.ShutdownReason?.GetType().Name ?? "unknown reason";
}
