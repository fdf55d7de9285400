using System.Diagnostics;
using System.Globalization;
using Akka;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Configuration;
using VMess.Relay;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// What SIGTERM and Ctrl+C do, as coordinated-shutdown tasks in Akka's phase order: stop accepting (service-unbind;
/// open connections run on), report the node's traffic a last time (before-cluster-shutdown, <see cref="NodeTraffic"/>),
/// leave the cluster (Akka's cluster-leave/exiting phases, logged around), let open tunnels finish up to
/// <see cref="ClusterMembershipSettings.ShutdownDrainDeadline"/> (before-actor-system-terminate), then close what is
/// left and terminate.
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

    /// <summary>
    /// Akka's phases time out after 5 s by default; the last traffic report and the drain must not be cut short. Given
    /// as configuration keys (Akka.Hosting turns them into its config), since Akka.Hosting has no typed option for it.
    /// </summary>
    public static IConfiguration PhaseTimeouts(ClusterMembershipSettings cluster) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PhaseTimeoutKey(CoordinatedShutdown.PhaseBeforeClusterShutdown)] = Seconds(NodeTraffic.FinalReportBound + NodeTraffic.FinalReportMargin),
            [PhaseTimeoutKey(CoordinatedShutdown.PhaseBeforeActorSystemTerminate)] = Seconds(cluster.ShutdownDrainDeadline + DrainPhaseMargin),
        }).Build();

    private static string PhaseTimeoutKey(string phase) => $"akka:coordinated-shutdown:phases:{phase}:timeout";

    private static string Seconds(TimeSpan value) => ((int)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    private static string Reason(CoordinatedShutdown shutdown) => shutdown.ShutdownReason?.GetType().Name ?? "unknown reason";
}
