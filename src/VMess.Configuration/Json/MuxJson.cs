namespace VMess.Configuration.Json;

/// <summary><c>outbounds[i].mux</c> (infra/conf/v2ray.go, <c>MuxConfig</c>).</summary>
internal sealed class MuxJson
{
    public bool? Enabled { get; set; }

    public long? Concurrency { get; set; }
}
