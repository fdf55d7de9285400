namespace VMess.Configuration.Json;

/// <summary><c>stats</c> (infra/conf/v2ray.go, <c>StatsConfig</c>): an empty object whose presence turns V2Ray's counters on.</summary>
internal sealed class StatsJson;
