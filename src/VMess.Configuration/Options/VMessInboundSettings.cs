using System.Collections.Immutable;
using VMess.Protocol.Auth;

namespace VMess.Configuration.Options;

/// <summary>
/// <c>inbounds[i].settings</c> of a VMess inbound. Ids are unique within the inbound, and so are non-empty emails
/// (compared ignoring case, as V2Ray looks users up by lower-cased email). <see cref="DetourTo"/>, when set, names
/// another inbound's tag. Equality compares <see cref="Clients"/> element by element.
/// </summary>
public sealed record VMessInboundSettings(
    ImmutableArray<VMessAccount> Clients,
    VMessDefaultUser Default,
    string? DetourTo,
    bool DisableInsecureEncryption)
{
    public bool Equals(VMessInboundSettings? other) =>
        other is not null
        && Clients.SequenceEqual(other.Clients)
        && Default == other.Default
        && DetourTo == other.DetourTo
        && DisableInsecureEncryption == other.DisableInsecureEncryption;

    public override int GetHashCode() => HashCode.Combine(Clients.Length, Default, DetourTo, DisableInsecureEncryption);
}
