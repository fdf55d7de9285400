namespace VMess.Registry.Online;

/// <summary>A user's live connections across the cluster, and the source IPs they come from (with a count each).</summary>
public sealed record OnlineUser(string Email, int Connections, IReadOnlyDictionary<string, int> SourceIps);

/// <summary>Who is connected now, over every node: what the operator API's online queries serve.</summary>
public interface IOnlineUsers
{
    /// <summary>The user's live connections over every node; null when it has none.</summary>
    Task<OnlineUser?> GetAsync(string email, CancellationToken cancellationToken);

    /// <summary>Every user with a live connection somewhere in the cluster.</summary>
    Task<IReadOnlyList<OnlineUser>> ListAsync(CancellationToken cancellationToken);
}
