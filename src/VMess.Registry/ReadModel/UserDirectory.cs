using VMess.Protocol.Auth;
using VMess.Registry.Messages;

namespace VMess.Registry.ReadModel;

/// <summary>
/// One node's immutable view of the users it serves (enabled and not suspended), rebuilt by
/// <see cref="RegistryProjector"/> on every change. <see cref="Version"/> increases with each rebuild on this node.
/// </summary>
public sealed record UserDirectory(long Version, IReadOnlyList<VMessAccount> Accounts, int DisabledCount)
{
    private static readonly IReadOnlySet<string> NoKeys = new HashSet<string>();
    private static readonly IReadOnlyDictionary<string, UserSuspension> NoSuspensions = new Dictionary<string, UserSuspension>();
    private static readonly IReadOnlyDictionary<string, UserLimits> NoLimits = new Dictionary<string, UserLimits>();

    public static UserDirectory Empty { get; } = new(0, [], 0);

    /// <summary>
    /// The keys (<see cref="UserKey"/>) of the users the registry holds but has disabled, so that whoever closes the
    /// connections of a user no longer served can say whether it was disabled or removed.
    /// </summary>
    public IReadOnlySet<string> DisabledKeys { get; init; } = NoKeys;

    /// <summary>The enabled users refused for their quota or expiry, by key, with the reason.</summary>
    public IReadOnlyDictionary<string, UserSuspension> SuspendedKeys { get; init; } = NoSuspensions;

    /// <summary>The limits of the served users that have a connection or source-IP limit, by key (the nodes enforce those).</summary>
    public IReadOnlyDictionary<string, UserLimits> ConnectionLimits { get; init; } = NoLimits;

    /// <summary>Why the registry refuses the user with this key although it holds it; null when it does not (served, or unknown).</summary>
    public string? RefusalOf(string userKey) =>
        DisabledKeys.Contains(userKey) ? "user disabled"
        : SuspendedKeys.TryGetValue(userKey, out var suspension) ? Describe(suspension)
        : null;

    public static string Describe(UserSuspension suspension) => suspension switch
    {
        UserSuspension.QuotaUsedUp => "user's traffic quota used up",
        UserSuspension.Expired => "user expired",
        _ => "user served",
    };
}
