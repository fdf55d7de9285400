using System.Globalization;
using System.Text;

namespace VMess.Relay.Logging;

/// <summary>One access-log line: who connected, where to, accepted or rejected and why, for which user.</summary>
public sealed record AccessRecord(DateTimeOffset Time, string From, string? To, bool Accepted, string? Reason, string? Email, string? Detour = null)
{
    /// <summary>V2Ray's access-log layout: "time from status to [detour] reason email: x".</summary>
    public override string ToString()
    {
        var line = new StringBuilder();
        line.Append(Time.ToLocalTime().ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ');
        line.Append(From).Append(' ').Append(Accepted ? "accepted" : "rejected").Append(' ').Append(To ?? "");
        if (!string.IsNullOrEmpty(Detour)) line.Append(" [").Append(Detour).Append(']');
        if (!string.IsNullOrEmpty(Reason)) line.Append(' ').Append(Reason);
        if (!string.IsNullOrEmpty(Email)) line.Append(" email: ").Append(Email);
        return line.ToString();
    }
}
