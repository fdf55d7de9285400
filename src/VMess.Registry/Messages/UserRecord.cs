using VMess.Protocol.Auth;
using VMess.Protocol.Ids;

namespace VMess.Registry.Messages;

/// <summary>
/// A user as the replicated read model holds it (about 100 bytes). <see cref="Version"/> is the entity's journal
/// sequence number at the change, used as the LWW clock so the newest write wins whatever the nodes' wall clocks say.
/// <see cref="WrittenAt"/> is when the entity wrote it into the read model (unix ms, the writer's clock; 0 if unknown):
/// what each node's projector measures its sync lag against. <see cref="Limits"/> travel with the user so every node
/// can enforce its connection limits; <see cref="Suspension"/> is the entity's verdict on its quota and expiry when it
/// wrote the record (a suspended user is refused like a disabled one).
/// </summary>
public sealed record UserRecord(VMessUserId Id, ushort AlterId, byte Level, string? Email, bool Enabled, long Version, long WrittenAt = 0)
    : IUserRegistryMessage
{
    public UserLimits Limits { get; init; } = UserLimits.None;

    public UserSuspension Suspension { get; init; } = UserSuspension.None;

    /// <summary>Whether nodes authenticate the user: enabled and not suspended.</summary>
    public bool IsServed => Enabled && Suspension == UserSuspension.None;

    public string Key => UserKey.For(Id, Email);

    public VMessAccount ToAccount() => new(Id, AlterId, Level, Email);
}
