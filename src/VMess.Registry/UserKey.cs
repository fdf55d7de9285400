using VMess.Protocol.Ids;

namespace VMess.Registry;

/// <summary>
/// The registry's name for a user: the email lower-cased (V2Ray looks users up by lower-cased email), or the id in
/// lower-case "D" form where there is no email. It is the entity id, the persistence id's suffix and the DData entry key.
/// </summary>
public static class UserKey
{
    public static string For(VMessUserId id, string? email) =>
        string.IsNullOrEmpty(email) ? id.Value.ToString("D") : email.ToLowerInvariant();

    /// <summary>The key of the user with this (non-empty) email, whatever its id.</summary>
    public static string ForEmail(string email)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        return email.ToLowerInvariant();
    }
}
