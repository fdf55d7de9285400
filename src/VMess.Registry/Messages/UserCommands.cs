using VMess.Protocol.Ids;

namespace VMess.Registry.Messages;

/// <summary>Creates the user, or updates its id, alterId and level; an existing user's enabled flag and limits are kept.</summary>
public sealed record UpsertUser(VMessUserId Id, ushort AlterId, byte Level, string? Email) : IUserRegistryCommand
{
    public string UserKey => Registry.UserKey.For(Id, Email);
}

/// <summary>Deletes the user; every node stops accepting it (written with WriteMajority).</summary>
public sealed record RemoveUser(string UserKey) : IUserRegistryCommand;

public sealed record EnableUser(string UserKey) : IUserRegistryCommand;

/// <summary>Keeps the user but refuses its handshakes everywhere (written with WriteMajority).</summary>
public sealed record DisableUser(string UserKey) : IUserRegistryCommand;

public enum UserCommandOutcome : byte
{
    /// <summary>The change was persisted and written to the read model.</summary>
    Applied = 1,

    /// <summary>The user already was in the requested state; nothing was written.</summary>
    Unchanged = 2,

    /// <summary>There is no such user.</summary>
    NotFound = 3,
}

/// <summary>The reply to every <see cref="IUserRegistryCommand"/>.</summary>
public sealed record UserCommandResult(string UserKey, UserCommandOutcome Outcome) : IUserRegistryMessage;
