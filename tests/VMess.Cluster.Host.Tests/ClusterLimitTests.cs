using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using VMess.Api.Cluster;
using VMess.Cluster.Host.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests;

/// <summary>
/// Per-user limits across three node processes sharing PostgreSQL, with real v2ray 4.34 clients: limits set through
/// one node's UserService are enforced by every node. A user whose traffic reaches its quota is cut on every node
/// within 2 s and refused until its counters are reset (with Debian's v2ctl); a user limited to one connection cannot
/// hold a second one on another node for more than 2 s.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterLimitTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CutBound = TimeSpan.FromSeconds(2);
    // Node 1's config user: served by every node once the registry has it.
    private static readonly string Email = StatsApi.NodeUser(1).Email;
    private static readonly string UserId = StatsApi.NodeUser(1).Id;

    // Each echo counts its size twice: uplink and downlink.
    private const int WarmUpEcho = 8 * 1024;
    private const int PumpEcho = 64 * 1024;
    private const long Quota = 4L * WarmUpEcho + 1_000_000;

    [Fact]
    public async Task A_user_reaching_its_quota_should_be_cut_on_every_node_within_2_s_and_served_again_once_its_counters_are_reset()
    {
        await using var cluster = await ThreeNodeCluster.CreateAsync(postgres, output);
        await using var echo = new TcpEchoServer();
        await cluster.StartAllAsync(StatsApi.NodeConfig(1), StatsApi.NodeConfig(2), StatsApi.NodeConfig(3));
        var apiPorts = await Task.WhenAll(cluster.Running.Select(StatsApi.PortAsync));
        await SetLimitsEverywhereAsync(apiPorts, new SetUserLimitsRequest { Email = Email, QuotaBytes = Quota });
        var atNode1 = await cluster.ClientAsync(UserId, 0, echo.Port);
        var atNode2 = await cluster.ClientAsync(UserId, 1, echo.Port);
        var atNode3 = await cluster.ClientAsync(UserId, 2, echo.Port);

        // One tunnel through node 1, one through node 3; every byte the user moves is one the test sent or received.
        using var tunnel1 = await OpenTunnelAsync(atNode1);
        using var tunnel3 = await OpenTunnelAsync(atNode3);
        var counted = 4L * WarmUpEcho;
        var clock = Stopwatch.StartNew();
        var closed1 = Tunnels.PrintedAtAsync(cluster.Node(0), $"of {Email}: user's traffic quota used up", clock);
        var closed3 = Tunnels.PrintedAtAsync(cluster.Node(2), $"of {Email}: user's traffic quota used up", clock);
        TimeSpan crossing;
        var seed = 100;
        while (true)
        {
            var payload = Payloads.Random(PumpEcho, seed++);
            if (counted + 2 * PumpEcho >= Quota)
            {
                // This echo crosses the quota: the cut is timed from before it was sent.
                crossing = clock.Elapsed;
                await tunnel1.GetStream().WriteAsync(payload);
                break;
            }
            await Tunnels.EchoOnAsync(tunnel1.GetStream(), payload);
            counted += 2 * PumpEcho;
        }
        var (closedAt1, closedAt3) = (await closed1, await closed3);
        output.WriteLine($"quota crossed at {crossing.TotalMilliseconds:F0} ms; node 1 closed its tunnel at {closedAt1.TotalMilliseconds:F0} ms, " +
            $"node 3 at {closedAt3.TotalMilliseconds:F0} ms");
        Assert.True(closedAt1 - crossing <= CutBound, $"node 1 cut the user {(closedAt1 - crossing).TotalMilliseconds:F0} ms after the quota was crossed");
        Assert.True(closedAt3 - crossing <= CutBound, $"node 3 cut the user {(closedAt3 - crossing).TotalMilliseconds:F0} ms after the quota was crossed");
        Assert.False(await Tunnels.AttemptAsync(atNode2), "node 2 served a user whose quota is used up");

        // V2Ray's own reset (QueryStats with reset) lifts the suspension everywhere.
        var (exitCode, stdout, stderr) = await V2Ctl.ApiAsync(apiPorts[1], "StatsService.QueryStats", $"pattern: \"{Email}\" reset: true");
        Assert.True(exitCode == 0, $"v2ctl exited {exitCode}: {stdout}{stderr}");
        clock.Restart();
        await Tunnels.FirstAttemptAsync(clock, atNode2, wantEcho: true, Bound, cluster);
        output.WriteLine($"served again at node 2 {clock.ElapsedMilliseconds} ms after the reset");
    }

    [Fact]
    public async Task A_user_limited_to_one_connection_should_have_a_second_one_on_another_node_closed_within_2_s()
    {
        await using var cluster = await ThreeNodeCluster.CreateAsync(postgres, output);
        await using var echo = new TcpEchoServer();
        await cluster.StartAllAsync(StatsApi.NodeConfig(1), StatsApi.NodeConfig(2), StatsApi.NodeConfig(3));
        var apiPorts = await Task.WhenAll(cluster.Running.Select(StatsApi.PortAsync));
        await SetLimitsEverywhereAsync(apiPorts, new SetUserLimitsRequest { Email = Email, MaxConnections = 1 });
        var atNode1 = await cluster.ClientAsync(UserId, 0, echo.Port);
        var atNode3 = await cluster.ClientAsync(UserId, 2, echo.Port);
        using var first = await OpenTunnelAsync(atNode1);

        var clock = Stopwatch.StartNew();
        var closed = Tunnels.PrintedAtAsync(cluster.Node(2), $"closed 1 connection(s) of {Email}: over its limits", clock);
        using var second = new TcpClient(AddressFamily.InterNetwork);
        await second.ConnectAsync(IPAddress.Loopback, atNode3);
        // Node 3 may close it at once (node 1's connection already known there) or once node 1 publishes it.
        await second.GetStream().WriteAsync(Payloads.Random(WarmUpEcho, seed: 2));
        var ended = Tunnels.EndedAtAsync(second.GetStream(), clock);
        var (closedAt, endedAt) = (await closed, await ended);
        output.WriteLine($"node 3 closed the second connection {closedAt.TotalMilliseconds:F0} ms after it was opened; the client behind " +
            $"the v2ray client saw it end at {endedAt.TotalMilliseconds:F0} ms");

        Assert.True(closedAt <= CutBound, $"node 3 closed the second connection {closedAt.TotalMilliseconds:F0} ms after it was opened");
        await Tunnels.EchoOnAsync(first.GetStream(), Payloads.Random(64 * 1024, seed: 3));
        Assert.False(cluster.Node(0).HasPrinted(line => line.Contains($"of {Email}: over its limits", StringComparison.Ordinal)),
            "node 1 closed the older connection");
    }

    /// <summary>Sets the limits through node 2 (retrying while the new cluster's registry is not up), then waits until nodes 1 and 3 hold them.</summary>
    private static async Task SetLimitsEverywhereAsync(int[] apiPorts, SetUserLimitsRequest limits)
    {
        var deadline = DateTime.UtcNow + Bound;
        using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPorts[1]}"))
        {
            var users = new UserService.UserServiceClient(channel);
            while (true)
            {
                try
                {
                    await users.SetUserLimitsAsync(limits, deadline: deadline);
                    break;
                }
                // The config's user is not in the registry yet (seeding runs in the background), or its shards are not up.
                catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.Unavailable && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
        }
        foreach (var port in new[] { apiPorts[0], apiPorts[2] })
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var users = new UserService.UserServiceClient(channel);
            while (!await HoldsAsync(users, limits, deadline))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"the node at API port {port} does not hold {limits}");
                await Task.Delay(100);
            }
        }
    }

    private static async Task<bool> HoldsAsync(UserService.UserServiceClient users, SetUserLimitsRequest limits, DateTime deadline)
    {
        try
        {
            var user = (await users.GetUserAsync(new GetUserRequest { Email = limits.Email }, deadline: deadline)).User;
            return user.MaxConnections == limits.MaxConnections && user.QuotaBytes == limits.QuotaBytes;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>A tunnel through the v2ray client at <paramref name="port"/>, once it has echoed <see cref="WarmUpEcho"/> bytes.</summary>
    private static async Task<TcpClient> OpenTunnelAsync(int port)
    {
        var tunnel = new TcpClient(AddressFamily.InterNetwork);
        await tunnel.ConnectAsync(IPAddress.Loopback, port);
        await Tunnels.EchoOnAsync(tunnel.GetStream(), Payloads.Random(WarmUpEcho, seed: port));
        return tunnel;
    }
}
