using VMess.Api.Cluster;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// The limits <c>user limit</c> was given; null for each it was not. SetUserLimits sets all four at once, so the others
/// are taken from the user as GetUser read it.
/// </summary>
internal sealed record UserLimitChange(int? MaxConnections, int? MaxSourceIps, long? QuotaBytes, long? ExpiresAtUnixMs)
{
    public static readonly string[] OptionNames = ["--max-connections", "--max-ips", "--quota", "--expires"];

    public bool IsEmpty => MaxConnections is null && MaxSourceIps is null && QuotaBytes is null && ExpiresAtUnixMs is null;

    /// <summary>The options' values; a relative <c>--expires</c> counts from <paramref name="now"/>. Throws <see cref="UsageException"/> for a bad one.</summary>
    public static UserLimitChange From(OperatorArguments parsed, DateTimeOffset now)
    {
        long? quota = null;
        if (parsed.Value("--quota") is { } size)
        {
            quota = ByteSize.TryParse(size, out var bytes) ? bytes : throw new UsageException($"--quota must be 0 (no limit) or {ByteSize.Accepted}, was '{size}'");
        }
        long? expires = null;
        if (parsed.Value("--expires") is { } when)
        {
            expires = ExpiryTime.TryParse(when, now, out var unixMs) ? unixMs : throw new UsageException($"--expires must be {ExpiryTime.Accepted}, was '{when}'");
        }
        return new UserLimitChange(parsed.Integer("--max-connections", 0, int.MaxValue), parsed.Integer("--max-ips", 0, int.MaxValue), quota, expires);
    }

    /// <summary>The request that sets these limits on the user <paramref name="email"/> names and keeps its others (<paramref name="current"/>'s).</summary>
    public SetUserLimitsRequest ApplyTo(UserInfo current, string email) => new()
    {
        Email = email,
        MaxConnections = MaxConnections ?? current.MaxConnections,
        MaxSourceIps = MaxSourceIps ?? current.MaxSourceIps,
        QuotaBytes = QuotaBytes ?? current.QuotaBytes,
        ExpiresAtUnixMs = ExpiresAtUnixMs ?? current.ExpiresAtUnixMs,
    };
}
