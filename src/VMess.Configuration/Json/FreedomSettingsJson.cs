namespace VMess.Configuration.Json;

/// <summary><c>settings</c> of a freedom outbound (infra/conf/freedom.go, <c>FreedomConfig</c>).</summary>
internal sealed class FreedomSettingsJson
{
    public string? DomainStrategy { get; set; }

    public string? Redirect { get; set; }

    public long? UserLevel { get; set; }
}
