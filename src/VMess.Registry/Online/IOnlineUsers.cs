namespace VMess.Registry.Online;

/// <summary>A user's live connections across the cluster, and the source IPs they come from (with a count each).</summary>
public sealed record OnlineUser(string Email, int Connections, IReadOnlyDictionary<string, int> SourceIps)
{
    private static readonly IReadOnlyDictionary<string, long> NoIps = new Dictionary<string, long>();

    /// <summary>
    /// For a user with a connection limit, in one member's entry: the open times (UTC ticks, ascending) of its oldest
    /// connections, as many as the limit (<see cref="ConnectionLimitPolicy"/>). Empty otherwise.
    /// </summary>
    public IReadOnlyList<long> OldestOpenedAt { get; init; } = [];

    /// <summary>For a user with a source-IP limit, in one member's entry: its first IPs, as many as the limit, with their first open time. Empty otherwise.</summary>
    public IReadOnlyDictionary<string, long> FirstOpenedAtByIp { get; init; } = NoIps;
}

/// <summary>Who is connected now, over every node: what the operator API's online queries serve.</summary>
public interface IOnlineUsers
{
    /// <summary>The user's live connections over every node; null when it has none.</summary>
    Task<OnlineUser?> GetAsync(string email, CancellationToken cancellationToken);

    /// <summary>Every user with a live connection somewhere in the cluster.</summary>
    Task<IReadOnlyList<OnlineUser>> ListAsync(CancellationToken cancellationToken);
}
