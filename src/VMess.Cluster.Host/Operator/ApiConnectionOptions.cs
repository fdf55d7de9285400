using System.Globalization;
using System.Net;
using VMess.Configuration;
using VMess.Configuration.Options;
using VMess.Relay;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// Which node's operator API a command talks to, and how: <c>--server HOST:PORT</c> (default: the api inbound of
/// <c>-c FILE</c>, else 127.0.0.1:10085), <c>--token</c> (default: <c>VMESS_API_TOKEN</c>) and <c>--timeout SECONDS</c>,
/// which bounds the whole command. <see cref="Config"/> is the node's config when <c>-c FILE</c> is given.
/// </summary>
internal sealed record ApiConnectionOptions(string Host, int Port, string? Token, TimeSpan Timeout, NodeOptions? Config)
{
    public const string TokenVariable = "VMESS_API_TOKEN";
    public const string DefaultServer = "127.0.0.1:10085";

    /// <summary>Longer than the registry's answer bound on the server (10 s), so its UNAVAILABLE arrives rather than a timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The options every operator command takes.</summary>
    public static readonly string[] OptionNames = ["--server", "--token", "--timeout", "--config"];

    /// <summary>HOST:PORT, with an IPv6 address in brackets.</summary>
    public string Server => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public Uri Address => new($"http://{Server}");

    /// <summary>The tag of the config's first VMess inbound that serves the registry's users, when a config was given.</summary>
    public string? ConfigUserInboundTag => Config is null ? null : RelayNode.RegistryInbounds(Config).FirstOrDefault(i => i.Tag is not null)?.Tag;

    public static ApiConnectionOptions From(OperatorArguments args, Func<string, string?> environment)
    {
        NodeOptions? config = null;
        if (args.Value("--config") is { } path)
        {
            var loaded = ConfigLoader.LoadFile(path);
            if (!loaded.IsValid)
            {
                throw new OperatorException($"{path}: {loaded.Errors.Length} error(s), the first: {loaded.Errors[0]}");
            }
            config = loaded.Options;
        }
        var (host, port) = args.Value("--server") is { } server ? ParseServer(server)
            : config is not null ? ServerOf(config, args.Value("--config")!)
            : ParseServer(DefaultServer);
        var token = args.Value("--token") ?? environment(TokenVariable);
        return new ApiConnectionOptions(host, port, string.IsNullOrEmpty(token) ? null : token, ParseTimeout(args.Value("--timeout")), config);
    }

    /// <summary>HOST:PORT or [IPV6]:PORT.</summary>
    public static (string Host, int Port) ParseServer(string server)
    {
        string host, port;
        if (server.StartsWith('[') && server.IndexOf("]:", StringComparison.Ordinal) is var close and > 0)
        {
            (host, port) = (server[1..close], server[(close + 2)..]);
        }
        else if (server.IndexOf(':') is var colon and > 0 && colon == server.LastIndexOf(':'))
        {
            (host, port) = (server[..colon], server[(colon + 1)..]);
        }
        else
        {
            throw new UsageException($"--server must be HOST:PORT (an IPv6 address in brackets: [::1]:10085), was '{server}'");
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new UsageException($"--server '{server}': the port must be within 1..65535");
        }
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown) throw new UsageException($"--server '{server}': '{host}' is not a host name or address");
        return (host, number);
    }

    /// <summary>Where the config's API listens; every address (0.0.0.0, ::) is reached through loopback.</summary>
    private static (string Host, int Port) ServerOf(NodeOptions config, string path)
    {
        if (config.Api is not { } api)
        {
            throw new OperatorException($"{path} has no operator API (an api section and a routing rule to its inbound); give --server HOST:PORT");
        }
        var address = api.EndPoint.Address;
        if (address.Equals(IPAddress.Any)) address = IPAddress.Loopback;
        else if (address.Equals(IPAddress.IPv6Any)) address = IPAddress.IPv6Loopback;
        if (api.EndPoint.Port == 0) throw new OperatorException($"{path}: the API's port is 0 (chosen at start); give --server HOST:PORT");
        return (address.ToString(), api.EndPoint.Port);
    }

    private static TimeSpan ParseTimeout(string? text)
    {
        if (text is null) return DefaultTimeout;
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--timeout must be a number of seconds within 0..3600 (e.g. 5 or 0.5), was '{text}'");
    }
}
