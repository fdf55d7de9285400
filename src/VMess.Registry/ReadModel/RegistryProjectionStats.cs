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

    /// <summary>The sync lag the last rebuild measured; null until a change written after the projector started arrived.</summary>
    public TimeSpan? LastSyncLag => Interlocked.Read(ref _lastSyncLagTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>Enabled users in the last published directory.</summary>
    public int Users => Volatile.Read(ref _users);

    /// <summary>Disabled users in the last published directory.</summary>
    public int DisabledUsers => Volatile.Read(ref _disabledUsers);

    internal void Published(UserDirectory directory, TimeSpan? syncLag)
    {
        Volatile.Write(ref _users, directory.Accounts.Count);
        Volatile.Write(ref _disabledUsers, directory.DisabledCount);
        if (syncLag is { } lag) Interlocked.Exchange(ref _lastSyncLagTicks, lag.Ticks);
    }
}
