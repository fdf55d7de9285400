namespace VMess.Configuration.Json;

/// <summary>Builds the paths issues are reported at: <c>inbounds[0].settings.clients[2].id</c>, <c>policy.levels["1"]</c>.</summary>
internal static class JsonPath
{
    public static string Property(string parent, string name)
    {
        if (!IsPlainName(name))
        {
            return Key(parent, name);
        }
        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    public static string Index(string parent, int index) => $"{OrRoot(parent)}[{index}]";

    /// <summary>A dictionary key or an unusual property name, quoted.</summary>
    public static string Key(string parent, string key) => $"{OrRoot(parent)}[\"{key.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";

    private static string OrRoot(string parent) => parent.Length == 0 ? ConfigIssue.RootPath : parent;

    private static bool IsPlainName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$');
}
