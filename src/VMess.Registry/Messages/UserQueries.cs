namespace VMess.Registry.Messages;

public sealed record GetUser(string UserKey) : IUserRegistryQuery;

/// <summary><see cref="User"/> is null when there is no such user.</summary>
public sealed record GetUserResult(string UserKey, UserRecord? User) : IUserRegistryMessage;
