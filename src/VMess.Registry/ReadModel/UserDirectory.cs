using VMess.Protocol.Auth;

namespace VMess.Registry.ReadModel;

/// <summary>
/// One node's immutable view of the enabled users, rebuilt by <see cref="RegistryProjector"/> on every change.
/// <see cref="Version"/> increases with each rebuild on this node.
/// </summary>
public sealed record UserDirectory(long Version, IReadOnlyList<VMessAccount> Accounts, int DisabledCount)
{
    private static readonly IReadOnlySet<string> NoKeys = new HashSet<string>();

    public static UserDirectory Empty { get; } = new(0, [], 0);

    /// <summary>
    /// The keys (<see cref="UserKey"/>) of the users the registry holds but has disabled, so that whoever closes the
    /// connections of a user no longer served can say whether it was disabled or removed.
    /// </summary>
    public IReadOnlySet<string> DisabledKeys { get; init; } = NoKeys;
}
