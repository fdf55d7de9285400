using Microsoft.Extensions.Configuration;
using VMess.Configuration.Options;

namespace VMess.Api;

/// <summary>
/// How a node serves its operator API: section <c>VMess:Api</c> of the host configuration (cluster file or environment,
/// e.g. <c>VMess__Api__Token=…</c>). Where the API listens comes from the V2Ray config (<see cref="ApiOptions"/>).
/// </summary>
public sealed record ApiHostSettings
{
    public const string SectionName = "VMess:Api";

    /// <summary>
    /// The bearer token every call must carry (<c>authorization: Bearer TOKEN</c>) when the API listens on an address
    /// other than loopback; required there, not checked on loopback (where v2ctl, which sends no token, works).
    /// </summary>
    public string? Token { get; init; }

    /// <summary>How long AlterInbound waits for the cluster registry to apply a change before answering UNAVAILABLE.</summary>
    public TimeSpan RegistryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static ApiHostSettings From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<ApiHostSettings>() ?? new ApiHostSettings();

    /// <summary>Every problem with serving <paramref name="api"/> with these settings; empty when there is no API.</summary>
    public IReadOnlyList<string> ValidateFor(ApiOptions? api)
    {
        var errors = new List<string>();
        if (api is null) return errors;
        if (!api.IsLoopbackOnly && string.IsNullOrWhiteSpace(Token))
        {
            errors.Add($"the API listens on {api.EndPoint} (inbound '{api.InboundTag}'), which is not a loopback address: set a token " +
                $"({SectionName}:Token, environment VMess__Api__Token) or listen on 127.0.0.1");
        }
        if (RegistryTimeout <= TimeSpan.Zero) errors.Add($"{SectionName}: RegistryTimeout must be positive, was {RegistryTimeout}.");
        return errors;
    }
}
