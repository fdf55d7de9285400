using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using VMess.Registry.Serialization;

namespace VMess.Registry.Tests.Support;

/// <summary>Test-only node config: a cluster on 127.0.0.1 with an OS-chosen port and in-memory persistence.</summary>
internal static class RegistryCluster
{
    public const string SystemName = "registry";

    public static readonly Config Config = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster {
            min-nr-of-members = 1
            # Keep the shards where they are for the life of a test.
            sharding.passivate-idle-entity-after = off
          }
          persistence {
            journal.plugin = "akka.persistence.journal.inmem"
            snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
          }
        }
        """);

    /// <summary>A plain local system with the registry serializer, for specs that need no cluster.</summary>
    public static ActorSystemSetup LocalSetup() =>
        BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("akka.loglevel = WARNING")).And(RegistrySerialization.Setup());

    public static ActorSystemSetup Setup() => BootstrapSetup.Create().WithConfig(Config).And(RegistrySerialization.Setup());

    public static ActorSystem CreateNode() => ActorSystem.Create(SystemName, Setup());
}
