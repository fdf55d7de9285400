using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using VMess.Cluster.Host.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests;

/// <summary>
/// The user registry across three node processes (cluster-config/local-3-nodes, free ports through the environment),
/// with real v2ray 4.34 clients: a user of one node's config is served by every node, and SIGHUP's reload of that
/// config reaches the other nodes within 1 s without dropping an open connection.
/// </summary>
public sealed class ClusterRegistryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ServedTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AttemptInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ReloadBound = TimeSpan.FromSeconds(1);

    private static readonly User Node1User = new("5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0001", "one@example.com");
    private static readonly User RemovedUser = new("5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0002", "removed@example.com");
    private static readonly User AddedUser = new("5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0003", "added@example.com");
    private static readonly User Node2User = new("5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0004", "two@example.com");
    private static readonly User Node3User = new("5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0005", "three@example.com");

    [Fact]
    public async Task A_user_of_one_nodes_config_should_be_served_by_every_node_and_a_sighup_reload_should_reach_them_within_1_s()
    {
        var clusterPorts = new[] { FreePort.TcpForSeed(), FreePort.TcpForSeed(), FreePort.TcpForSeed() };
        var configs = new[] { NodeConfig(Node1User, RemovedUser), NodeConfig(Node2User), NodeConfig(Node3User) };
        var nodes = new List<HostProcess>();
        var clients = new List<V2RayProcess>();
        await using var echo = new TcpEchoServer();
        try
        {
            for (var n = 0; n < 3; n++)
            {
                var directory = new TempDirectory();
                directory.Write("vmess.json", configs[n]);
                var environment = new Dictionary<string, string> { ["VMess__Cluster__Port"] = clusterPorts[n].ToString() };
                for (var s = 0; s < 3; s++) environment[$"VMess__Cluster__Seeds__{s}"] = $"127.0.0.1:{clusterPorts[s]}";
                nodes.Add(HostProcess.Start(["run", "-c", "vmess.json", "--cluster", RepositoryRoot.File($"cluster-config/local-3-nodes/node{n + 1}.json")],
                    directory, environment));
            }
            await Task.WhenAll(nodes.Select(node => node.WaitForOutputAsync(line => line.Contains("(3 member(s) up)", StringComparison.Ordinal), FormTimeout)));
            var vmessPorts = nodes.Select(node => PrintedConnection.Parse(node.Stdout).Port).ToArray();

            // One real v2ray client per (user, node) the test connects as.
            async Task<int> ClientAsync(User user, int node)
            {
                var local = FreePort.Tcp();
                clients.Add(await V2RayProcess.StartAsync(
                    V2RayConfigs.Client(local, "127.0.0.1", echo.Port, vmessPorts[node], user.Id, 0, "aes-128-gcm", "tcp"), [local], output));
                return local;
            }
            var node1UserAtNode1 = await ClientAsync(Node1User, 0);
            var node1UserAtNode2 = await ClientAsync(Node1User, 1);
            var node1UserAtNode3 = await ClientAsync(Node1User, 2);
            var removedUserAtNode2 = await ClientAsync(RemovedUser, 1);
            var addedUserAtNode3 = await ClientAsync(AddedUser, 2);

            // 1. Node 1's users are served by nodes 2 and 3 once the registry has them (seeding runs in the background).
            var clock = Stopwatch.StartNew();
            foreach (var port in new[] { node1UserAtNode2, node1UserAtNode3, removedUserAtNode2 })
            {
                await FirstAttemptAsync(clock, port, wantEcho: true, ServedTimeout, nodes);
            }
            output.WriteLine($"node 1's users served by nodes 2 and 3 {clock.ElapsedMilliseconds} ms after the cluster formed");
            foreach (var (port, seed) in new[] { (node1UserAtNode2, 2), (node1UserAtNode3, 3) })
            {
                var payload = Payloads.Random(1024 * 1024, seed);
                using var cts = new CancellationTokenSource(ServedTimeout);
                var echoed = await RoundTripAsync(port, payload, cts.Token);
                Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed), $"echo through node {seed} differs ({echoed.Length} of {payload.Length} bytes)");
            }
            Assert.False(await AttemptAsync(addedUserAtNode3), "the user to be added is served before it was added");

            // An open connection through node 1 that must outlive the reload.
            using var open = new TcpClient(AddressFamily.InterNetwork);
            await open.ConnectAsync(IPAddress.Loopback, node1UserAtNode1);
            await EchoOnAsync(open.GetStream(), Payloads.Random(64 * 1024, seed: 11));

            // 2. Node 1's config gains a user and loses one; SIGHUP.
            File.WriteAllText(Path.Combine(nodes[0].Directory.Path, "vmess.json"), NodeConfig(Node1User, AddedUser));
            clock.Restart();
            nodes[0].Hangup();
            var reloaded = Task.Run(async () =>
            {
                await nodes[0].WaitForOutputAsync(line => line.Contains("registry: reloaded the config's users", StringComparison.Ordinal), ServedTimeout);
                return clock.Elapsed;
            });
            var added = FirstAttemptAsync(clock, addedUserAtNode3, wantEcho: true, ServedTimeout, nodes);
            var removed = FirstAttemptAsync(clock, removedUserAtNode2, wantEcho: false, ServedTimeout, nodes);
            var (reloadedAt, addedAt, removedAt) = (await reloaded, await added, await removed);
            var reloadLine = nodes[0].Stdout.Split('\n').First(line => line.Contains("registry: reloaded", StringComparison.Ordinal));
            output.WriteLine($"after SIGHUP: node 1 logged the reload at {reloadedAt.TotalMilliseconds:F0} ms ({reloadLine.Trim()}); " +
                $"added user served at node 3 from {addedAt.TotalMilliseconds:F0} ms; removed user refused at node 2 from {removedAt.TotalMilliseconds:F0} ms");

            Assert.True(addedAt - reloadedAt <= ReloadBound, $"added user served at node 3 {(addedAt - reloadedAt).TotalMilliseconds:F0} ms after the reload was logged");
            Assert.True(removedAt - reloadedAt <= ReloadBound, $"removed user refused at node 2 {(removedAt - reloadedAt).TotalMilliseconds:F0} ms after the reload was logged");
            await EchoOnAsync(open.GetStream(), Payloads.Random(64 * 1024, seed: 12));
            Assert.True(await AttemptAsync(node1UserAtNode3), "node 1's remaining user is no longer served by node 3");
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
            foreach (var node in nodes)
            {
                var directory = node.Directory;
                await node.DisposeAsync();
                directory.Dispose();
            }
        }
    }

    private sealed record User(string Id, string Email);

    /// <summary>
    /// Starts an attempt every 50 ms until one gives <paramref name="wantEcho"/>; returns the earliest start (on
    /// <paramref name="clock"/>) of an attempt that gave it. Attempts overlap, so a slow one does not delay the next.
    /// </summary>
    private static async Task<TimeSpan> FirstAttemptAsync(Stopwatch clock, int port, bool wantEcho, TimeSpan timeout, IReadOnlyList<HostProcess> nodes)
    {
        var attempts = new List<(TimeSpan Start, Task<bool> Echoed)>();
        var deadline = clock.Elapsed + timeout;
        while (clock.Elapsed < deadline)
        {
            attempts.Add((clock.Elapsed, AttemptAsync(port)));
            if (attempts.Any(a => a.Echoed.IsCompleted && a.Echoed.Result == wantEcho))
            {
                await Task.WhenAll(attempts.Select(a => a.Echoed));
                return attempts.Where(a => a.Echoed.Result == wantEcho).Min(a => a.Start);
            }
            await Task.Delay(AttemptInterval);
        }
        await Task.WhenAll(attempts.Select(a => a.Echoed));
        throw new TimeoutException($"no attempt through 127.0.0.1:{port} {(wantEcho ? "echoed" : "was refused")} within {timeout}\n" +
            string.Join("\n", nodes.Select((node, n) => $"node {n + 1}:\n{node.Describe()}")));
    }

    /// <summary>One connection through a v2ray client: whether 8 KiB come back intact (a refused user's connection is closed).</summary>
    private static async Task<bool> AttemptAsync(int port)
    {
        // More than the largest drain (3382 bytes), so a refusal closes at once instead of at the handshake timeout.
        var payload = Payloads.Random(8 * 1024, seed: port);
        using var cts = new CancellationTokenSource(AttemptTimeout);
        try
        {
            var echoed = await RoundTripAsync(port, payload, cts.Token);
            return echoed.AsSpan().SequenceEqual(payload);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            return false;
        }
    }

    private static async Task EchoOnAsync(NetworkStream stream, byte[] payload)
    {
        using var cts = new CancellationTokenSource(ServedTimeout);
        var send = stream.WriteAsync(payload, cts.Token).AsTask();
        var received = new byte[payload.Length];
        await stream.ReadExactlyAsync(received, cts.Token);
        await send;
        Assert.True(received.AsSpan().SequenceEqual(payload), "the open connection's echo differs");
    }

    // Sends and reads at once, keeping the send side open until every byte is back (see NodeRunnerTests).
    private static async Task<byte[]> RoundTripAsync(int port, byte[] payload, CancellationToken ct)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
        var stream = tcp.GetStream();
        var send = stream.WriteAsync(payload, ct).AsTask();
        var received = new byte[payload.Length];
        var count = 0;
        while (count < received.Length)
        {
            var n = await stream.ReadAsync(received.AsMemory(count), ct);
            if (n == 0) break;
            count += n;
        }
        try
        {
            await send;
        }
        catch (IOException) when (count < received.Length)
        {
            // refused: the node closed while the payload was still going
        }
        return received[..count];
    }

    /// <summary>One VMess inbound on any free loopback port with the given users; info logging (cluster and registry events).</summary>
    private static string NodeConfig(params User[] users) => $$"""
        {
          "log": { "loglevel": "info" },
          "inbounds": [{ "listen": "127.0.0.1", "port": 0, "protocol": "vmess",
                         "settings": { "clients": [ {{string.Join(", ", users.Select(u => $$"""{ "id": "{{u.Id}}", "email": "{{u.Email}}" }"""))}} ] } }],
          "outbounds": [{ "protocol": "freedom" }],
          "policy": { "levels": { "0": { "handshake": 2 } } }
        }
        """;
}
