namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// One node process for the operator commands' tests, shared by their classes (a node takes seconds to start): a VMess
/// inbound with no users of its own on 127.0.0.1, and the API on 0.0.0.0 with a token, so every call must carry it.
/// Tests call it through 127.0.0.1 only: the token follows from where the API listens, not from the path a call takes.
/// </summary>
public sealed class OperatorNode : IAsyncLifetime
{
    public const string Collection = "operator node";
    public const string Token = "operator-test-token";
    public const string VMessTag = "vmess-in";

    private readonly TempDirectory _directory = new();
    private HostProcess? _host;

    public int VMessPort { get; private set; }

    public int ApiPort { get; private set; }

    public string Server => $"127.0.0.1:{ApiPort}";

    public string Describe() => _host?.Describe() ?? "(not started)";

    /// <summary>Runs an operator command against this node, with its address and token.</summary>
    internal Task<CliResult> RunAsync(params string[] args) =>
        OperatorCli.RunAsync([.. args, "--server", Server, "--token", Token]);

    public const string ConfigJson = """
        {
          "log": { "loglevel": "warning" },
          "api": { "tag": "api", "services": ["HandlerService", "StatsService", "LoggerService"] },
          "stats": {},
          "inbounds": [
            { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess", "settings": { "clients": [] } },
            { "tag": "api", "listen": "0.0.0.0", "port": 0, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }
          ],
          "outbounds": [ { "protocol": "freedom" } ],
          "routing": { "rules": [ { "type": "field", "inboundTag": ["api"], "outboundTag": "api" } ] }
        }
        """;

    public async Task InitializeAsync()
    {
        (_host, VMessPort, ApiPort) = await ApiNodeProcess.StartAsync(_directory, ConfigJson,
            new Dictionary<string, string> { ["VMess__Api__Token"] = Token });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _directory.Dispose();
    }
}

[CollectionDefinition(OperatorNode.Collection)]
public sealed class OperatorNodeCollection : ICollectionFixture<OperatorNode>;
