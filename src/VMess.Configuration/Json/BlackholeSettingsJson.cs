namespace VMess.Configuration.Json;

/// <summary><c>settings</c> of a blackhole outbound (infra/conf/blackhole.go, <c>BlackholeConfig</c>).</summary>
internal sealed class BlackholeSettingsJson
{
    public BlackholeResponseJson? Response { get; set; }
}
