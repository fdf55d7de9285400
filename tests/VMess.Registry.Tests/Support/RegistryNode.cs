using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using VMess.Registry.ReadModel;
using VMess.Registry.Traffic;

namespace VMess.Registry.Tests.Support;

/// <summary>
/// One node as the host runs it: a self-joined cluster with the projector (feeding a <see cref="UserDirectoryHolder"/>),
/// the user registry and its traffic accounting (with an empty ledger: the test reports by hand), on the given
/// persistence. Disposing terminates the system (coordinated shutdown).
/// </summary>
internal sealed class RegistryNode : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private RegistryNode(ActorSystem system, IActorRef registry, UserDirectoryHolder directory, ClusterTrafficView traffic)
    {
        System = system;
        Registry = registry;
        Directory = directory;
        Traffic = traffic;
    }

    public ActorSystem System { get; }

    public IActorRef Registry { get; }

    public UserDirectoryHolder Directory { get; }

    public ClusterTrafficView Traffic { get; }

    public static async Task<RegistryNode> StartAsync(Config persistence, RegistrySettings? settings = null)
    {
        settings ??= RegistrySettings.Default;
        var system = RegistryCluster.CreateNode(persistence);
        try
        {
            var directory = new UserDirectoryHolder();
            system.StartRegistryProjector(settings, directory);
            var registry = system.StartUserRegistry(settings);
            var traffic = system.StartTrafficAccounting(new TrafficLedger(), registry, settings, TrafficSettings.Default);
            var cluster = Cluster.Get(system);
            await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
            return new RegistryNode(system, registry, directory, traffic.View);
        }
        catch
        {
            await system.Terminate().WaitAsync(Bound);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await System.Terminate().WaitAsync(Bound);
}
