using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Serialization;
using VMess.Registry.Messages;
using VMess.Registry.Online;

namespace VMess.Registry.Serialization;

/// <summary>
/// Registers <see cref="RegistrySerializer"/> for <see cref="IUserRegistryMessage"/> and <see cref="OnlineSerializer"/>
/// for <see cref="OnlineUser"/> without HOCON.
/// </summary>
public static class RegistrySerialization
{
    public const string Alias = "vmess-registry";

    public const string OnlineAlias = "vmess-online";

    public static SerializerDetails Details(ExtendedActorSystem system) =>
        SerializerDetails.Create(Alias, new RegistrySerializer(system), ImmutableHashSet.Create(typeof(IUserRegistryMessage)));

    public static SerializerDetails OnlineDetails(ExtendedActorSystem system) =>
        SerializerDetails.Create(OnlineAlias, new OnlineSerializer(system), ImmutableHashSet.Create(typeof(OnlineUser)));

    /// <summary>Add to the ActorSystemSetup: <c>BootstrapSetup.Create().And(RegistrySerialization.Setup())</c>.</summary>
    public static Setup Setup() => SerializationSetup.Create(system => ImmutableHashSet.Create(Details(system), OnlineDetails(system)));
}
