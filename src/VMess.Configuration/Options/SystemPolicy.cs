namespace VMess.Configuration.Options;

/// <summary>
/// <c>policy.system</c>: which per-inbound and per-outbound traffic counters exist. All false when absent
/// (app/policy/manager.go, <c>ForSystem</c>).
/// </summary>
public sealed record SystemPolicy(
    bool StatsInboundUplink,
    bool StatsInboundDownlink,
    bool StatsOutboundUplink,
    bool StatsOutboundDownlink)
{
    public static SystemPolicy Default { get; } = new(false, false, false, false);
}
