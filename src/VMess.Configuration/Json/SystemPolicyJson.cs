namespace VMess.Configuration.Json;

/// <summary><c>policy.system</c> (infra/conf/policy.go, <c>SystemPolicy</c>).</summary>
internal sealed class SystemPolicyJson
{
    public bool? StatsInboundUplink { get; set; }

    public bool? StatsInboundDownlink { get; set; }

    public bool? StatsOutboundUplink { get; set; }

    public bool? StatsOutboundDownlink { get; set; }
}
