using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using VMess.Registry.Persistence;
using VMess.Registry.Serialization;

namespace VMess.Registry.Tests.Support;

/// <summary>
/// Test-only node config: a cluster on 127.0.0.1 with an OS-chosen port, and in-memory persistence unless a spec
/// passes another (<see cref="RegistryPersistence"/>).
/// </summary>
internal static class RegistryCluster
{
    public const string SystemName = "registry";

    public static readonly Config BaseConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = cluster
          # Load DData and sharding (and so their serializers) at start, before any gossip can arrive; the host must too.
          extensions = [
            "Akka.DistributedData.DistributedDataProvider, Akka.DistributedData",
            "Akka.Cluster.Sharding.ClusterShardingExtensionProvider, Akka.Cluster.Sharding"
          ]
          remote.dot-netty.tcp {
            hostname = "127.0.0.1"
            port = 0
            # DData sends a joining node every differing bucket in one Gossip message: 10,000 users encode to about
            # 390 kB, far over the 128 kB default frame. As the host: 8 MB (about 4 MB per 100,000 users).
            maximum-frame-size = 8000000b
            send-buffer-size = 8000000b
            receive-buffer-size = 8000000b
          }
          cluster {
            min-nr-of-members = 1
            # Keep the shards where they are for the life of a test.
            sharding.passivate-idle-entity-after = off
          }
        }
        """);

    /// <summary>A plain local system with the registry serializer, for specs that need no cluster.</summary>
    public static ActorSystemSetup LocalSetup() =>
        BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("akka.loglevel = WARNING")).And(RegistrySerialization.Setup());

    public static ActorSystemSetup Setup(Config? persistence = null) =>
        BootstrapSetup.Create().WithConfig((persistence ?? RegistryPersistence.InMemory).WithFallback(BaseConfig)).And(RegistrySerialization.Setup());

    public static ActorSystem CreateNode(Config? persistence = null) => ActorSystem.Create(SystemName, Setup(persistence));
}
