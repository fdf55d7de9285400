using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VMess.Cluster.Host.Hosting;

namespace VMess.Cluster.Host.Tests.Hosting;

/// <summary>The coordinated-shutdown phase timeouts as Akka reads them from <see cref="GracefulShutdown.PhaseTimeouts"/> through Akka.Hosting.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Phase_timeouts_should_let_the_last_traffic_report_and_the_drain_run_to_their_own_bounds()
    {
        var cluster = new ClusterMembershipSettings { ShutdownDrainDeadline = TimeSpan.FromSeconds(30) };
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("phase-timeouts", akka => akka.AddHocon(GracefulShutdown.PhaseTimeouts(cluster), HoconAddMode.Prepend)))
            .Build();
        await host.StartAsync();
        try
        {
            var shutdown = CoordinatedShutdown.Get(host.Services.GetRequiredService<ActorSystem>());

            Assert.True(shutdown.Timeout(CoordinatedShutdown.PhaseBeforeClusterShutdown) > NodeTraffic.FinalReportBound,
                $"before-cluster-shutdown times out after {shutdown.Timeout(CoordinatedShutdown.PhaseBeforeClusterShutdown)}");
            Assert.True(shutdown.Timeout(CoordinatedShutdown.PhaseBeforeActorSystemTerminate) > cluster.ShutdownDrainDeadline,
                $"before-actor-system-terminate times out after {shutdown.Timeout(CoordinatedShutdown.PhaseBeforeActorSystemTerminate)}");
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
