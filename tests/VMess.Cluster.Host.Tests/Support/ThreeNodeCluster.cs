using System.Globalization;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// Three node processes with local-3-nodes' cluster files, free seed ports and one PostgreSQL database, each in a
/// directory of its own that outlives a restart; the v2ray clients the test connects through. Disposing kills
/// what still runs (by PID) and deletes the directories.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ThreeNodeCluster : IAsyncDisposable
{
    public static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(120);

    private readonly int[] _clusterPorts = [FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp()];
    private readonly TempDirectory[] _directories = [new(), new(), new()];
    private readonly HostProcess?[] _nodes = new HostProcess?[3];
    private readonly List<HostProcess> _stopped = [];
    private readonly List<V2RayProcess> _clients = [];
    private readonly string _journal;
    private readonly ITestOutputHelper _output;

    private ThreeNodeCluster(string journal, ITestOutputHelper output) => (_journal, _output) = (journal, output);

    public static async Task<ThreeNodeCluster> CreateAsync(PostgresServer postgres, ITestOutputHelper output) =>
        new(await postgres.CreateDatabaseAsync(), output);

    public HostProcess Node(int n) => _nodes[n] ?? throw new InvalidOperationException($"node {n + 1} is not running");

    public IEnumerable<HostProcess> Running => _nodes.OfType<HostProcess>();

    public void WriteConfig(int n, string config) => _directories[n].Write("vmess.json", config);

    public async Task StartAllAsync(params string[] configs)
    {
        for (var n = 0; n < 3; n++)
        {
            WriteConfig(n, configs[n]);
            Start(n);
        }
        await Task.WhenAll(Running.Select(node => node.WaitForOutputAsync(line => line.Contains("(3 member(s) up)", StringComparison.Ordinal), FormTimeout)));
    }

    /// <summary>Starts node <paramref name="n"/> (again) in its directory, with the config last written there.</summary>
    public void Start(int n)
    {
        if (_nodes[n] is { } previous) _stopped.Add(previous);
        var environment = new Dictionary<string, string>
        {
            ["VMess__Cluster__Port"] = _clusterPorts[n].ToString(CultureInfo.InvariantCulture),
            ["VMess__Registry__Persistence__PostgreSqlConnectionString"] = _journal,
        };
        for (var s = 0; s < 3; s++) environment[$"VMess__Cluster__Seeds__{s}"] = $"127.0.0.1:{_clusterPorts[s]}";
        _nodes[n] = HostProcess.Start(["run", "-c", "vmess.json", "--cluster", RepositoryRoot.File($"cluster-config/local-3-nodes/node{n + 1}.json")],
            _directories[n], environment);
    }

    /// <summary>SIGTERM to every node at once; each must exit 0.</summary>
    public async Task StopAllAsync()
    {
        var running = Running.ToArray();
        foreach (var node in running) node.Terminate();
        var exitCodes = await Task.WhenAll(running.Select(node => node.WaitForExitAsync(HostProcess.ExitTimeout)));
        Assert.All(exitCodes, code => Assert.Equal(0, code));
    }

    /// <summary>A real v2ray client as <paramref name="userId"/> through node <paramref name="n"/>'s VMess port to the target; returns its local port.</summary>
    public async Task<int> ClientAsync(string userId, int n, int targetPort)
    {
        var vmessPort = PrintedConnection.Parse(Node(n).Stdout).Port;
        var local = FreePort.Tcp();
        _clients.Add(await V2RayProcess.StartAsync(
            V2RayConfigs.Client(local, "127.0.0.1", targetPort, vmessPort, userId, 0, "aes-128-gcm", "tcp"), [local], _output));
        return local;
    }

    public string Describe() => string.Join("\n", _nodes.Select((node, n) => $"node {n + 1}:\n{node?.Describe() ?? "(not running)"}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        foreach (var node in _stopped.Concat(Running)) await node.DisposeAsync();
        foreach (var directory in _directories) directory.Dispose();
    }
}

