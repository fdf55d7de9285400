namespace VMess.Registry.Online;

/// <summary>
/// This node's live connections by user (key = <see cref="UserKey"/>), as the <see cref="OnlinePublisher"/> reads
/// them: which users changed since the last look, and how each stands now. Written by the connections' control plane,
/// read by one actor; both sides must be thread-safe and cheap (no I/O, no waiting).
/// </summary>
public interface ILocalConnections
{
    /// <summary>
    /// The users whose connections opened or closed since the last call, forgotten as they are returned: a change
    /// made while the caller reads <see cref="Describe"/> is returned again next time, never lost.
    /// </summary>
    IReadOnlyCollection<string> TakeChangedUsers();

    /// <summary>The user's live connections on this node now; null when it has none.</summary>
    OnlineUser? Describe(string userKey);
}
