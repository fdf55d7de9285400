namespace VMess.Configuration.Json;

/// <summary><c>inbounds[i].allocate</c> (infra/conf/v2ray.go, <c>InboundDetourAllocationConfig</c>).</summary>
internal sealed class AllocateJson
{
    public string? Strategy { get; set; }

    /// <summary>Minutes.</summary>
    public long? Refresh { get; set; }

    public long? Concurrency { get; set; }
}
