using System.Net;
using System.Net.Sockets;
using VMess.Cluster.Host.Tests.Support;
using VMess.Testing;

namespace VMess.Cluster.Host.Tests;

/// <summary>
/// Nodes as processes on loopback: three form one cluster from cluster-config/local-3-nodes, and SIGTERM runs the
/// graceful shutdown (stop accepting, leave, drain, exit 0).
/// </summary>
public sealed class ClusterMembershipTests
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(10);

    // Exiting may take the drain deadline plus leaving the cluster (a few gossip rounds) on a loaded machine.
    private static readonly TimeSpan ExitTimeout = DrainDeadline + TimeSpan.FromSeconds(30);

    private const string UserId = "b831381d-6324-4d53-ad4f-8cda48b30811";

    [Fact]
    public async Task Three_nodes_with_the_local_cluster_config_should_form_one_cluster_and_see_a_terminated_node_leave()
    {
        // The file's fixed ports (4053-4055) may be taken on a shared machine: free ones through the environment.
        var clusterPorts = new[] { FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp() };
        var nodes = new List<HostProcess>();
        try
        {
            for (var n = 0; n < 3; n++)
            {
                var directory = new TempDirectory();
                directory.Write("vmess.json", VMessConfig(handshakeSeconds: 4));
                var environment = new Dictionary<string, string>
                {
                    ["VMess__Cluster__Port"] = clusterPorts[n].ToString(),
                    ["VMess__Cluster__ShutdownDrainDeadline"] = DrainDeadline.ToString(),
                    // Membership only: the registry's shared PostgreSQL is ClusterRegistryTests' subject.
                    ["VMess__Registry__Persistence__Journal"] = "InMemory",
                };
                for (var s = 0; s < 3; s++) environment[$"VMess__Cluster__Seeds__{s}"] = $"127.0.0.1:{clusterPorts[s]}";
                nodes.Add(HostProcess.Start(["run", "-c", "vmess.json", "--cluster", RepositoryRoot.File($"cluster-config/local-3-nodes/node{n + 1}.json")],
                    directory, environment));
            }

            await Task.WhenAll(nodes.Select(node => node.WaitForOutputAsync(line => line.Contains("(3 member(s) up)", StringComparison.Ordinal), FormTimeout)));

            var leaving = nodes[2];
            leaving.Terminate();
            var exitCode = await leaving.WaitForExitAsync(ExitTimeout);
            var removed = $"cluster: member removed: akka.tcp://vmess-cluster@127.0.0.1:{clusterPorts[2]}, was Exiting";
            await Task.WhenAll(nodes.Take(2).Select(node => node.WaitForOutputAsync(line => line.Contains(removed, StringComparison.Ordinal), ExitTimeout)));

            Assert.True(exitCode == 0, $"exit code {exitCode}\n{leaving.Describe()}");
            Assert.All(nodes.Take(2), node => Assert.True(node.HasPrinted(line => line.Contains("(2 member(s) up)", StringComparison.Ordinal)), node.Describe()));
            AssertPhasesInOrder(leaving, "shutdown (ClrExitReason): stopped accepting", "shutdown: leaving the cluster",
                "shutdown: left the cluster", "shutdown: terminating");
        }
        finally
        {
            foreach (var node in nodes)
            {
                var directory = node.Directory;
                await node.DisposeAsync();
                directory.Dispose();
            }
        }
    }

    [Fact]
    public async Task Sigterm_should_stop_accepting_and_wait_for_an_open_connection_to_finish()
    {
        using var directory = new TempDirectory();
        // The open connection must outlive shutdown's first phases (stop accepting, shard handover, leaving: a few
        // seconds on a loaded machine) to meet the drain; its handshake timeout ends it well before the deadline.
        directory.Write("vmess.json", VMessConfig(handshakeSeconds: 8, logLevel: "debug"));
        await using var node = HostProcess.Start(["run", "-c", "vmess.json"], directory,
            new Dictionary<string, string> { ["VMess__Cluster__ShutdownDrainDeadline"] = "00:00:30" });
        // Seeded: a registry write still in flight at SIGTERM would hold the shard region's handover (not this test's subject).
        await node.WaitForOutputAsync(line => line.Contains("registry: seeded the config's users", StringComparison.Ordinal), StartupTimeout);
        var port = PrintedConnection.Parse(node.Stdout).Port;
        using var open = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await open.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await node.WaitForOutputAsync(line => line.Contains("accepted 127.0.0.1:", StringComparison.Ordinal), StartupTimeout);

        node.Terminate();
        await node.WaitForOutputAsync(line => line.Contains("stopped accepting; 1 connection(s) still open", StringComparison.Ordinal), ExitTimeout);
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await late.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        });
        // The open connection is not cut: it ends by its own handshake timeout (8 s), well inside the 30 s deadline.
        var exitCode = await node.WaitForExitAsync(ExitTimeout);

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{node.Describe()}");
        AssertPhasesInOrder(node, "stopped accepting", "shutdown: waiting up to 00:00:30 for 1 open connection(s) to finish",
            "shutdown: no connection open", "shutdown: terminating");
    }

    [Fact]
    public async Task Sigterm_should_close_connections_still_open_at_the_drain_deadline_and_exit_0()
    {
        using var directory = new TempDirectory();
        directory.Write("vmess.json", VMessConfig(handshakeSeconds: 120, logLevel: "debug"));
        await using var node = HostProcess.Start(["run", "-c", "vmess.json"], directory,
            new Dictionary<string, string> { ["VMess__Cluster__ShutdownDrainDeadline"] = "00:00:02" });
        // Seeded: a registry write still in flight at SIGTERM would hold the shard region's handover (not this test's subject).
        await node.WaitForOutputAsync(line => line.Contains("registry: seeded the config's users", StringComparison.Ordinal), StartupTimeout);
        using var open = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await open.ConnectAsync(new IPEndPoint(IPAddress.Loopback, PrintedConnection.Parse(node.Stdout).Port));
        await node.WaitForOutputAsync(line => line.Contains("accepted 127.0.0.1:", StringComparison.Ordinal), StartupTimeout);

        node.Terminate();
        var exitCode = await node.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{node.Describe()}");
        Assert.True(node.HasPrinted(line => line.Contains("1 connection(s) still open after 00:00:02; closing them", StringComparison.Ordinal)), node.Describe());
    }

    private static void AssertPhasesInOrder(HostProcess node, params string[] phases)
    {
        var lines = node.Stdout.Split('\n');
        var positions = phases.Select(phase => Array.FindIndex(lines, line => line.Contains(phase, StringComparison.Ordinal))).ToArray();
        Assert.True(positions.All(p => p >= 0) && positions.Zip(positions.Skip(1), (earlier, later) => earlier < later).All(inOrder => inOrder),
            $"phases at lines {string.Join(", ", positions)}\n{node.Describe()}");
    }

    /// <summary>One VMess inbound on any free loopback port, the given handshake timeout; info logging or more (cluster events).</summary>
    private static string VMessConfig(int handshakeSeconds, string logLevel = "info") => $$"""
        {
          "log": { "loglevel": "{{logLevel}}" },
          "inbounds": [{ "listen": "127.0.0.1", "port": 0, "protocol": "vmess",
                         "settings": { "clients": [ { "id": "{{UserId}}" } ] } }],
          "outbounds": [{ "protocol": "freedom" }],
          "policy": { "levels": { "0": { "handshake": {{handshakeSeconds}} } } }
        }
        """;
}
