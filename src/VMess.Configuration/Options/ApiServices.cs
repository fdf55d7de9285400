namespace VMess.Configuration.Options;

/// <summary>The gRPC services of V2Ray's <c>api.services</c> that this node serves.</summary>
[Flags]
public enum ApiServices
{
    None = 0,

    /// <summary><c>v2ray.core.app.proxyman.command.HandlerService</c>: users added to and removed from inbounds.</summary>
    Handler = 1,

    /// <summary><c>v2ray.core.app.stats.command.StatsService</c>: traffic counters, system and online stats.</summary>
    Stats = 2,

    /// <summary><c>v2ray.core.app.log.command.LoggerService</c>: RestartLogger.</summary>
    Logger = 4,
}
