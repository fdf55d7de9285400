namespace VMess.Configuration.Json;

/// <summary><c>settings.response</c> of a blackhole outbound: <c>{"type": "none"|"http"}</c>.</summary>
internal sealed class BlackholeResponseJson
{
    public string? Type { get; set; }
}
