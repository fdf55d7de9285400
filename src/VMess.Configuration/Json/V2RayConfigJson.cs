namespace VMess.Configuration.Json;

/// <summary>
/// The top level of a V2Ray 4.x config (infra/conf/v2ray.go, <c>Config</c>). Sections V2Ray has but this node
/// ignores (dns, transport, ...) or rejects (the 3.x <c>inbound</c>/<c>outbound</c> forms) are listed in
/// <see cref="V2RayFeatures"/>, not here.
/// </summary>
internal sealed class V2RayConfigJson
{
    public LogJson? Log { get; set; }

    public List<InboundJson?>? Inbounds { get; set; }

    public List<OutboundJson?>? Outbounds { get; set; }

    public PolicyJson? Policy { get; set; }

    public RoutingJson? Routing { get; set; }

    public ApiJson? Api { get; set; }

    public StatsJson? Stats { get; set; }
}
