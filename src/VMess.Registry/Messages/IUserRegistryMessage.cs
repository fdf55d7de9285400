namespace VMess.Registry.Messages;

/// <summary>Marker for everything the registry sends between nodes or persists; bound to RegistrySerializer.</summary>
public interface IUserRegistryMessage;

/// <summary>A message routed to one user entity by <see cref="IWithUserKey.UserKey"/>.</summary>
public interface IWithUserKey
{
    string UserKey { get; }
}

/// <summary>Changes a user; answered with <see cref="UserCommandResult"/>.</summary>
public interface IUserRegistryCommand : IUserRegistryMessage, IWithUserKey;

/// <summary>Reads a user; never changes it.</summary>
public interface IUserRegistryQuery : IUserRegistryMessage, IWithUserKey;

/// <summary>A persisted fact about one user.</summary>
public interface IUserRegistryEvent : IUserRegistryMessage
{
    string UserKey { get; }
}
