using VMess.Protocol.Auth;

namespace VMess.Registry.ReadModel;

/// <summary>
/// One node's immutable view of the enabled users, rebuilt by <see cref="RegistryProjector"/> on every change.
/// <see cref="Version"/> increases with each rebuild on this node.
/// </summary>
public sealed record UserDirectory(long Version, IReadOnlyList<VMessAccount> Accounts, int DisabledCount)
{
    public static UserDirectory Empty { get; } = new(0, [], 0);
}
