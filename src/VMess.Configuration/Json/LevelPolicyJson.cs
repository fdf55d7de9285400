namespace VMess.Configuration.Json;

/// <summary>
/// <c>policy.levels["N"]</c> (infra/conf/policy.go, <c>Policy</c>): timeouts in seconds, <c>bufferSize</c> in KiB.
/// An absent field keeps V2Ray's default for it.
/// </summary>
internal sealed class LevelPolicyJson
{
    public long? Handshake { get; set; }

    public long? ConnIdle { get; set; }

    public long? UplinkOnly { get; set; }

    public long? DownlinkOnly { get; set; }

    public long? BufferSize { get; set; }

    public bool? StatsUserUplink { get; set; }

    public bool? StatsUserDownlink { get; set; }
}
