namespace VMess.Configuration.Json;

/// <summary><c>log</c> (infra/conf/log.go, <c>LogConfig</c>).</summary>
internal sealed class LogJson
{
    public string? Access { get; set; }

    public string? Error { get; set; }

    public string? Loglevel { get; set; }
}
