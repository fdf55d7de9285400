namespace VMess.Api.Stats;

/// <summary>Xray's name for a user's online entry: <c>user&gt;&gt;&gt;EMAIL&gt;&gt;&gt;online</c>.</summary>
internal static class OnlineStatName
{
    private const string Prefix = "user>>>";
    private const string Suffix = ">>>online";

    public static string For(string email) => Prefix + email + Suffix;

    /// <summary>The email in <paramref name="name"/>; false when it is not an online entry's name.</summary>
    public static bool TryParseEmail(string name, out string email)
    {
        var ok = name.Length > Prefix.Length + Suffix.Length
            && name.StartsWith(Prefix, StringComparison.Ordinal)
            && name.EndsWith(Suffix, StringComparison.Ordinal);
        email = ok ? name[Prefix.Length..^Suffix.Length] : string.Empty;
        return ok;
    }
}
