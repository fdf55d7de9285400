using VMess.Protocol.Ids;

namespace VMess.Protocol.Auth;

/// <summary>One VMess user as the server knows it. AlterId 0 means AEAD headers only.</summary>
public sealed record VMessAccount(VMessUserId Id, ushort AlterId = 0, byte Level = 0, string? Email = null)
{
    /// <summary>How logs and stats name the user: the email when there is one, else the id.</summary>
    public string Name => string.IsNullOrEmpty(Email) ? Id.ToString() : Email;
}
