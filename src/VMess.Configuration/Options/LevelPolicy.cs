namespace VMess.Configuration.Options;

/// <summary>
/// Limits for connections of users at one level (<c>policy.levels["N"]</c>). In JSON the four timeouts are whole
/// seconds and <c>bufferSize</c> is KiB; here they are a <see cref="TimeSpan"/> and bytes.
/// </summary>
/// <param name="Handshake">Time allowed for the request header to arrive.</param>
/// <param name="ConnectionIdle">A connection with no traffic either way for this long is closed.</param>
/// <param name="UplinkOnly">Once the downlink has closed, the uplink may stay open this long.</param>
/// <param name="DownlinkOnly">Once the uplink has closed, the downlink may stay open this long.</param>
/// <param name="BufferSizeBytes">Internal buffer per connection; 0 = none, <see cref="UnlimitedBuffer"/> = no limit.</param>
/// <param name="StatsUserUplink">Count each user's uplink bytes.</param>
/// <param name="StatsUserDownlink">Count each user's downlink bytes.</param>
public sealed record LevelPolicy(
    TimeSpan Handshake,
    TimeSpan ConnectionIdle,
    TimeSpan UplinkOnly,
    TimeSpan DownlinkOnly,
    int BufferSizeBytes,
    bool StatsUserUplink,
    bool StatsUserDownlink)
{
    /// <summary>A negative <c>bufferSize</c> in JSON; V2Ray stores it as -1.</summary>
    public const int UnlimitedBuffer = -1;

    /// <summary>
    /// V2Ray 4.34's policy for a level the config does not name, and the base that a named level's fields override
    /// one by one (app/policy/manager.go <c>New</c> and <c>ForLevel</c>; app/policy/config.go <c>overrideWith</c>):
    /// <list type="bullet">
    /// <item>handshake 60 s, connIdle 300 s, uplinkOnly 1 s, downlinkOnly 1 s
    /// (features/policy/policy.go, <c>SessionDefault</c>; 60 s matches nginx's client_header_timeout).</item>
    /// <item>bufferSize 512 KiB: V2Ray's default on amd64 and other non-ARM/MIPS targets
    /// (features/policy/policy.go, <c>init</c>). V2Ray uses 4 KiB on arm64/mips64 and 0 on arm/mips and lets the
    /// <c>v2ray.ray.buffer.size</c> environment variable override it; this node reads no environment and always
    /// uses 512 KiB.</item>
    /// <item>statsUserUplink/statsUserDownlink false. A named level takes them from its own JSON (absent = false),
    /// never from another level (infra/conf/policy.go builds them unconditionally).</item>
    /// </list>
    /// </summary>
    public static LevelPolicy Default { get; } = new(
        Handshake: TimeSpan.FromSeconds(60),
        ConnectionIdle: TimeSpan.FromSeconds(300),
        UplinkOnly: TimeSpan.FromSeconds(1),
        DownlinkOnly: TimeSpan.FromSeconds(1),
        BufferSizeBytes: 512 * 1024,
        StatsUserUplink: false,
        StatsUserDownlink: false);
}
