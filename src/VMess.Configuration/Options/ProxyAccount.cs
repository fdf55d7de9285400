namespace VMess.Configuration.Options;

/// <summary>A user name and password of a local socks or http inbound (<c>settings.accounts[i]</c>).</summary>
public sealed record ProxyAccount(string User, string Pass);
