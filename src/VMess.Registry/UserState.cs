using VMess.Registry.Messages;

namespace VMess.Registry;

/// <summary>What a command decided: its outcome and the one event to persist, if any.</summary>
public readonly record struct UserDecision(UserCommandOutcome Outcome, IUserRegistryEvent? Event);

/// <summary>One user's state, pure: <see cref="Decide"/> turns a command into an event, <see cref="Apply"/> folds it.</summary>
public sealed record UserState(UserRecord? User)
{
    public static UserState Empty { get; } = new((UserRecord?)null);

    public UserDecision Decide(IUserRegistryCommand command) => command switch
    {
        UpsertUser up when User is not null && User.Id == up.Id && User.AlterId == up.AlterId && User.Level == up.Level
                           && User.Email == up.Email => new(UserCommandOutcome.Unchanged, null),
        UpsertUser up => new(UserCommandOutcome.Applied, new UserUpserted(up.Id, up.AlterId, up.Level, up.Email)),
        _ when User is null => new(UserCommandOutcome.NotFound, null),
        RemoveUser rm => new(UserCommandOutcome.Applied, new UserRemoved(rm.UserKey)),
        EnableUser when User.Enabled => new(UserCommandOutcome.Unchanged, null),
        EnableUser en => new(UserCommandOutcome.Applied, new UserEnabled(en.UserKey)),
        DisableUser when !User.Enabled => new(UserCommandOutcome.Unchanged, null),
        DisableUser dis => new(UserCommandOutcome.Applied, new UserDisabled(dis.UserKey)),
        _ => throw new ArgumentException($"Unknown registry command {command.GetType().Name}.", nameof(command)),
    };

    /// <summary>Folds <paramref name="evt"/>, stamping the record with <paramref name="version"/> (the journal sequence number).</summary>
    public UserState Apply(IUserRegistryEvent evt, long version) => evt switch
    {
        UserUpserted up => new(new UserRecord(up.Id, up.AlterId, up.Level, up.Email, User?.Enabled ?? true, version)),
        UserRemoved => Empty,
        UserEnabled when User is not null => new(User with { Enabled = true, Version = version }),
        UserDisabled when User is not null => new(User with { Enabled = false, Version = version }),
        _ => this,
    };
}
