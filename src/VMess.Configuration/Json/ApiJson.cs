namespace VMess.Configuration.Json;

/// <summary>
/// <c>api</c> (infra/conf/api.go, <c>APIConfig</c>): the tag that routing sends the API's inbound to, and the gRPC
/// services to serve there.
/// </summary>
internal sealed class ApiJson
{
    public string? Tag { get; set; }

    public List<string?>? Services { get; set; }
}
