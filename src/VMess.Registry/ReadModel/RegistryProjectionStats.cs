namespace VMess.Registry.ReadModel;

/// <summary>
/// What the node's <see cref="RegistryProjector"/> last published, readable from any thread without asking the actor
/// (metrics read it on every scrape). The projector is the only writer.
/// </summary>
public sealed class RegistryProjectionStats
{
    private long _lastSyncLagTicks = -1;
    private int _users;
    private int _disabledUsers;
    private int _suspendedUsers;

    /// <summary>The sync lag the last rebuild measured; null until a change written after the projector started arrived.</summary>
    public TimeSpan? LastSyncLag => Interlocked.Read(ref _lastSyncLagTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>Served users (enabled, not suspended) in the last published directory.</summary>
    public int Users => Volatile.Read(ref _users);

    /// <summary>Disabled users in the last published directory.</summary>
    public int DisabledUsers => Volatile.Read(ref _disabledUsers);

    /// <summary>Enabled users suspended for their quota or expiry in the last published directory.</summary>
    public int SuspendedUsers => Volatile.Read(ref _suspendedUsers);

    internal void Published(UserDirectory directory, TimeSpan? syncLag)
    {
        Volatile.Write(ref _users, directory.Accounts.Count);
        Volatile.Write(ref _disabledUsers, directory.DisabledCount);
        Volatile.Write(ref _suspendedUsers, directory.SuspendedKeys.Count);
        if (syncLag is { } lag) Interlocked.Exchange(ref _lastSyncLagTicks, lag.Ticks);
    }
}
