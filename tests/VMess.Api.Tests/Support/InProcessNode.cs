using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using VMess.Configuration;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Sessions;
using VMess.Registry;
using VMess.Registry.Persistence;
using VMess.Registry.Serialization;
using VMess.Relay;
using VMess.Relay.Logging;

namespace VMess.Api.Tests.Support;

/// <summary>
/// One node in this process wired as the host wires it: a self-joined cluster with the user registry (in-memory
/// journal) and the relay of a V2Ray config whose VMess inbound (tag <see cref="VMessTag"/>) serves the registry's
/// users on 127.0.0.1. What each fixture adds (the API, the meters) starts before and after the join.
/// </summary>
public abstract class InProcessNode(string systemName, string configJson) : IAsyncLifetime
{
    public const string VMessTag = "vmess-in";

    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = cluster
          extensions = [
            "Akka.DistributedData.DistributedDataProvider, Akka.DistributedData",
            "Akka.Cluster.Sharding.ClusterShardingExtensionProvider, Akka.Cluster.Sharding"
          ]
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster.min-nr-of-members = 1
          cluster.distributed-data.notify-subscribers-interval = 100ms
        }
        """);

    private ActorSystem? _system;
    private RelayNode? _relay;
    private IActorRef? _registry;

    public ActorSystem System => _system ?? throw new InvalidOperationException("not started");

    public RelayNode Relay => _relay ?? throw new InvalidOperationException("not started");

    /// <summary>The user registry's shard region.</summary>
    public IActorRef Registry => _registry ?? throw new InvalidOperationException("not started");

    public int VMessPort => Relay.Inbounds.Single(i => i.Options.Tag == VMessTag).EndPoint.Port;

    public async Task InitializeAsync()
    {
        var loaded = ConfigLoader.Load(configJson);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var setup = BootstrapSetup.Create().WithConfig(RegistryPersistence.InMemory.WithFallback(AkkaConfig)).And(RegistrySerialization.Setup());
        _system = ActorSystem.Create(systemName, setup);
        _relay = RelayNode.Start(_system, loaded.Options!, RelayLimits.Default, AccessLogs.None, TimeProvider.System, CryptoRandomSource.Instance,
            RegistryReplay);
        StartBeforeJoin(_system, _relay);
        var cluster = Akka.Cluster.Cluster.Get(_system);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
        _registry = _system.StartUserRegistry(RegistrySettings.Default);
        await StartAfterJoinAsync(_system, _relay, _registry, loaded.Options!);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _relay?.Stop();
        if (_system is not null) await _system.Terminate().WaitAsync(Bound);
    }

    /// <summary>The replay state the registry's inbounds share; the relay makes one when null.</summary>
    protected virtual ServerReplayGuard? RegistryReplay => null;

    /// <summary>What must run before the node joins (DData subscribers: the projector).</summary>
    protected abstract void StartBeforeJoin(ActorSystem system, RelayNode relay);

    protected abstract Task StartAfterJoinAsync(ActorSystem system, RelayNode relay, IActorRef registry, NodeOptions options);

    /// <summary>Stops what the fixture started, before the relay and the actor system stop.</summary>
    protected abstract ValueTask StopAsync();
}
