using System.Globalization;
using VMess.Api.Cluster;

namespace VMess.Cluster.Host.Operator;

/// <summary>How the user commands print a user (UserService's <see cref="UserInfo"/>): its state, its limits, one field a line.</summary>
internal static class UserInfoText
{
    private const int FieldWidth = 17;

    /// <summary><c>enabled</c>, <c>disabled</c> or why it is suspended (<c>suspended: quota used up</c>, <c>suspended: expired</c>).</summary>
    public static string State(UserInfo user) => (user.Enabled, user.Suspension) switch
    {
        (true, "") => "enabled",
        (true, var why) => $"suspended: {Words(why)}",
        (false, "") => "disabled",
        (false, var why) => $"disabled (and suspended: {Words(why)})",
    };

    /// <summary>The state as one word, for a table: <c>enabled</c>, <c>disabled</c>, <c>quota-used-up</c> or <c>expired</c>.</summary>
    public static string StateWord(UserInfo user) => !user.Enabled ? "disabled" : user.Suspension.Length == 0 ? "enabled" : user.Suspension;

    /// <summary>The limits as show prints them: counts and the quota, or <c>no limit</c> for 0; the expiry in UTC, or <c>never</c>.</summary>
    public static IReadOnlyList<(string Name, string Value)> Limits(int maxConnections, int maxSourceIps, long quotaBytes, long expiresAtUnixMs) =>
    [
        ("max connections", maxConnections == 0 ? "no limit" : Number(maxConnections)),
        ("max source IPs", maxSourceIps == 0 ? "no limit" : Number(maxSourceIps)),
        ("quota", quotaBytes == 0 ? "no limit" : ByteSize.Describe(quotaBytes)),
        ("expires", ExpiryTime.Format(expiresAtUnixMs)),
    ];

    public static IReadOnlyList<(string Name, string Value)> Limits(UserInfo user) =>
        Limits(user.MaxConnections, user.MaxSourceIps, user.QuotaBytes, user.ExpiresAtUnixMs);

    /// <summary><c>name:</c> padded so the values line up, then the value.</summary>
    public static void WriteField(TextWriter output, string name, string value) => output.WriteLine($"{(name + ":").PadRight(FieldWidth)} {value}");

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The proto's <c>quota-used-up</c> as words.</summary>
    private static string Words(string suspension) => suspension.Replace('-', ' ');
}
