using VMess.Registry.Messages;

namespace VMess.Registry;

/// <summary>What a command decided: its outcome and the one event to persist, if any.</summary>
public readonly record struct UserDecision(UserCommandOutcome Outcome, IUserRegistryEvent? Event);

/// <summary>
/// One user's state, pure: <see cref="Decide"/> turns a command into an event, <see cref="Apply"/> folds it. The
/// traffic counters outlive a removal (V2Ray keeps a removed user's counters too): whoever removes decides whether to
/// reset them as well.
/// </summary>
public sealed record UserState(UserRecord? User)
{
    public static UserState Empty { get; } = new((UserRecord?)null);

    public TrafficState Traffic { get; init; } = TrafficState.Empty;

    /// <summary>Nothing to keep: no user and no counters (such an entity passivates).</summary>
    public bool IsEmpty => User is null && !Traffic.HasCounters;

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
        SetUserLimits set when set.Limits == User.Limits => new(UserCommandOutcome.Unchanged, null),
        SetUserLimits set => new(UserCommandOutcome.Applied, new UserLimitsSet(set.UserKey, set.Limits)),
        _ => throw new ArgumentException($"Unknown registry command {command.GetType().Name}.", nameof(command)),
    };

    /// <summary>The event a report makes; null when it was applied before (a resend) or carries no bytes.</summary>
    public TrafficAdded? Decide(AddTraffic add) =>
        Traffic.IsApplied(add.Reporter, add.Sequence) || (add.Uplink == 0 && add.Downlink == 0)
            ? null
            : new TrafficAdded(add.UserKey, add.Reporter, add.Sequence, add.Uplink, add.Downlink);

    /// <summary>The event a reset makes; null when the chosen counters are zero already.</summary>
    public TrafficReset? Decide(ResetTraffic reset) =>
        (reset.Uplink && Traffic.Uplink != 0) || (reset.Downlink && Traffic.Downlink != 0)
            ? new TrafficReset(reset.UserKey, reset.Uplink, reset.Downlink)
            : null;

    /// <summary>Folds <paramref name="evt"/>, stamping the record with <paramref name="version"/> (the journal sequence number).</summary>
    public UserState Apply(IUserRegistryEvent evt, long version) => evt switch
    {
        UserUpserted up => this with
        {
            User = new UserRecord(up.Id, up.AlterId, up.Level, up.Email, User?.Enabled ?? true, version) { Limits = User?.Limits ?? UserLimits.None },
        },
        // A removed user's counters stay while they hold bytes (readable, and reset to go); zero ones go with it.
        UserRemoved => this with { User = null, Traffic = Traffic.Uplink == 0 && Traffic.Downlink == 0 ? TrafficState.Empty : Traffic },
        UserEnabled when User is not null => this with { User = User with { Enabled = true, Version = version } },
        UserDisabled when User is not null => this with { User = User with { Enabled = false, Version = version } },
        UserLimitsSet set when User is not null => this with { User = User with { Limits = set.Limits, Version = version } },
        TrafficAdded added => this with { Traffic = Traffic.Add(added.Reporter, added.Sequence, added.Uplink, added.Downlink) },
        TrafficReset reset => this with { Traffic = ResetTraffic(reset) },
        _ => this,
    };

    /// <summary>Why the user is suspended at <paramref name="nowMs"/> (unix ms); <see cref="UserSuspension.None"/> without a user.</summary>
    public UserSuspension SuspensionAt(long nowMs) =>
        User is null ? UserSuspension.None : User.Limits.SuspensionAt(nowMs, Traffic.Uplink, Traffic.Downlink);

    private TrafficState ResetTraffic(TrafficReset reset)
    {
        var traffic = Traffic.Reset(reset.Uplink, reset.Downlink);
        return User is null && traffic.Uplink == 0 && traffic.Downlink == 0 ? TrafficState.Empty : traffic;
    }
}
