namespace VMess.Configuration.Options;

/// <summary>
/// <c>freedom.redirect</c> ("host:port"): send every connection here instead. As in V2Ray, an empty host keeps the
/// requested address (<see cref="Host"/> null) and port 0 keeps the requested port.
/// </summary>
public sealed record FreedomRedirect(string? Host, int Port);
