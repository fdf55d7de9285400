namespace VMess.Registry.Messages;

/// <summary>
/// What a user may use across the whole cluster; 0 in a field means no limit. Connection and source-IP limits are
/// enforced by each node from the cluster's online view (the oldest connections and IPs are kept, newer ones closed);
/// the quota and the expiry by the user's entity, which suspends the user everywhere through the read model.
/// </summary>
/// <param name="MaxConnections">Live connections at once over every node (a Mux.Cool connection counts once).</param>
/// <param name="MaxSourceIps">Distinct client addresses at once over every node.</param>
/// <param name="QuotaBytes">Uplink plus downlink, as the counters hold them: once reached, the user is suspended until the counters are reset or the quota raised.</param>
/// <param name="ExpiresAt">Unix time in milliseconds from which the user is suspended.</param>
public sealed record UserLimits(int MaxConnections = 0, int MaxSourceIps = 0, long QuotaBytes = 0, long ExpiresAt = 0)
{
    public static UserLimits None { get; } = new();

    public bool IsNone => MaxConnections == 0 && MaxSourceIps == 0 && QuotaBytes == 0 && ExpiresAt == 0;

    /// <summary>Whether nodes must watch this user's live connections (a connection or source-IP limit).</summary>
    public bool LimitsConnections => MaxConnections > 0 || MaxSourceIps > 0;

    /// <summary>Every problem with these limits, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConnections < 0) errors.Add($"MaxConnections must be 0 (no limit) or positive, was {MaxConnections}.");
        if (MaxSourceIps < 0) errors.Add($"MaxSourceIps must be 0 (no limit) or positive, was {MaxSourceIps}.");
        if (QuotaBytes < 0) errors.Add($"QuotaBytes must be 0 (no limit) or positive, was {QuotaBytes}.");
        if (ExpiresAt < 0) errors.Add($"ExpiresAt must be 0 (never) or a unix time in milliseconds, was {ExpiresAt}.");
        return errors;
    }

    /// <summary>Why the user is suspended at <paramref name="nowMs"/> (unix ms) with these counters; <see cref="UserSuspension.None"/> when it is not.</summary>
    public UserSuspension SuspensionAt(long nowMs, long uplink, long downlink)
    {
        if (ExpiresAt > 0 && nowMs >= ExpiresAt) return UserSuspension.Expired;
        if (QuotaBytes > 0 && uplink + downlink >= QuotaBytes) return UserSuspension.QuotaUsedUp;
        return UserSuspension.None;
    }
}

/// <summary>Why a user that is enabled is still refused everywhere (its entity decides, the read model carries it).</summary>
public enum UserSuspension : byte
{
    None = 0,
    QuotaUsedUp = 1,
    Expired = 2,
}

/// <summary>Sets all of a user's limits at once (persisted; written to every reachable node at once); answered with <see cref="UserCommandResult"/>.</summary>
public sealed record SetUserLimits(string UserKey, UserLimits Limits) : IUserRegistryCommand;

public sealed record UserLimitsSet(string UserKey, UserLimits Limits) : IUserRegistryEvent;
