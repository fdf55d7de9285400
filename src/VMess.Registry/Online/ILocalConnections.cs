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

/// <summary>
/// The other members' live connections, as a node weighs its users' connection limits against them
/// (<see cref="ConnectionLimitPolicy"/>). Read locally, never waits; <see cref="Changed"/> is raised after each change.
/// </summary>
public interface IClusterConnections
{
    /// <summary>This node's member key (<see cref="OnlineKeys"/>); empty until the view has started.</summary>
    string SelfMember { get; }

    /// <summary>What each other reachable member published for the user; empty when none did.</summary>
    IReadOnlyList<MemberConnections> OthersOf(string userKey);

    /// <summary>Raised on the view's thread after the members' connections changed; a handler must not block.</summary>
    event Action? Changed;
}
