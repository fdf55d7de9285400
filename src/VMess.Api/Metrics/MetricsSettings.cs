using System.Net;
using Microsoft.Extensions.Configuration;

namespace VMess.Api.Metrics;

/// <summary>
/// Where a node serves its Prometheus scrape endpoint: section <c>VMess:Metrics</c> of the host configuration (e.g.
/// <c>VMess__Metrics__Port=9464</c>). Off unless a port is set. Off loopback, a scrape needs the API's token
/// (<see cref="ApiHostSettings.Token"/>), as a call to the API does.
/// </summary>
public sealed record MetricsSettings
{
    public const string SectionName = "VMess:Metrics";

    /// <summary>The port <c>/metrics</c> is served on (0: any free port); null, the default: not served.</summary>
    public int? Port { get; init; }

    /// <summary>The address to listen on; loopback unless said otherwise.</summary>
    public string Address { get; init; } = "127.0.0.1";

    public bool Enabled => Port is not null;

    /// <summary>The endpoint to listen on; only when <see cref="Validate"/> found nothing wrong and <see cref="Enabled"/>.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Parse(Address), Port ?? 0);

    public bool IsLoopbackOnly => IPAddress.TryParse(Address, out var address) && IPAddress.IsLoopback(address);

    public static MetricsSettings From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<MetricsSettings>() ?? new MetricsSettings();

    /// <summary>Every problem with these settings, given the API's (whose token guards the endpoint off loopback).</summary>
    public IReadOnlyList<string> Validate(ApiHostSettings api)
    {
        var errors = new List<string>();
        if (!Enabled) return errors;
        if (Port is < 0 or > 65535) errors.Add($"{SectionName}: Port must be 0..65535, was {Port}.");
        if (!IPAddress.TryParse(Address, out _)) errors.Add($"{SectionName}: Address '{Address}' is not an IP address.");
        else if (!IsLoopbackOnly && string.IsNullOrWhiteSpace(api.Token))
        {
            errors.Add($"the metrics endpoint listens on {Address}, which is not a loopback address: set a token " +
                $"({ApiHostSettings.SectionName}:Token, environment VMess__Api__Token) or listen on 127.0.0.1");
        }
        return errors;
    }
}
