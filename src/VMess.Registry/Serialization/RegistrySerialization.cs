using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Serialization;
using VMess.Registry.Messages;

namespace VMess.Registry.Serialization;

/// <summary>Registers <see cref="RegistrySerializer"/> for <see cref="IUserRegistryMessage"/> without HOCON.</summary>
public static class RegistrySerialization
{
    public const string Alias = "vmess-registry";

    public static SerializerDetails Details(ExtendedActorSystem system) =>
        SerializerDetails.Create(Alias, new RegistrySerializer(system), ImmutableHashSet.Create(typeof(IUserRegistryMessage)));

    /// <summary>Add to the ActorSystemSetup: <c>BootstrapSetup.Create().And(RegistrySerialization.Setup())</c>.</summary>
    public static Setup Setup() => SerializationSetup.Create(system => ImmutableHashSet.Create(Details(system)));
}
