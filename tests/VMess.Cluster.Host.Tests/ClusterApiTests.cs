using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Net.Client;
using V2Ray.Core.App.Proxyman.Command;
using V2Ray.Core.Common.Protocol;
using V2Ray.Core.Common.Serial;
using VMess.Cluster.Host.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;
using V2RayVMessAccount = V2Ray.Core.Proxy.Vmess.Account;

namespace VMess.Cluster.Host.Tests;

/// <summary>
/// The operator API across three node processes sharing PostgreSQL: a user added through node 1's HandlerService with
/// a client generated from V2Ray's own .proto files is served at node 3, and Debian's v2ctl asking node 2 reports that
/// user's exact traffic for transfers made through nodes 1 and 3.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ClusterApiTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private const string Email = "api-added@example.com";
    private const string UserId = "5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0201";

    // Different sizes each way, so an uplink/downlink swap or a lost chunk shows.
    private static readonly (int Up, int Down)[] Transfers = [(300_007, 1_200_011), (700_001, 90_003)];

    [Fact]
    public async Task A_user_added_through_node_1s_api_should_be_served_at_node_3_and_counted_exactly_by_v2ctl_at_node_2()
    {
        await using var cluster = await ThreeNodeCluster.CreateAsync(postgres, output);
        await using var target = new LoopbackTcpServer(ReadThenWriteAsync);
        await cluster.StartAllAsync(NodeConfig(1), NodeConfig(2), NodeConfig(3));
        var apiPorts = Enumerable.Range(0, 3).Select(n => ApiPort(cluster.Node(n).Stdout)).ToArray();

        using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPorts[0]}"))
        {
            await AddUserAsync(new HandlerService.HandlerServiceClient(channel));
        }
        var clock = Stopwatch.StartNew();
        var atNode3 = await cluster.ClientAsync(UserId, 2, target.Port);
        var atNode1 = await cluster.ClientAsync(UserId, 0, target.Port);
        // Until node 3 serves the user its handshakes are refused, and a refused connection counts nothing.
        await TransferUntilServedAsync(atNode3, Transfers[0]);
        output.WriteLine($"the user added at node 1 was served at node 3 {clock.ElapsedMilliseconds} ms after AlterInbound returned");
        await TransferUntilServedAsync(atNode1, Transfers[1]);

        var (up, down) = (Transfers.Sum(t => (long)t.Up), Transfers.Sum(t => (long)t.Down));
        clock.Restart();
        var counters = await CountersAtNode2Async(apiPorts[1], up, down);
        output.WriteLine($"v2ctl at node 2 reported uplink {counters.Up}, downlink {counters.Down} {clock.ElapsedMilliseconds} ms after the transfers ended");
        Assert.Equal((up, down), counters);
    }

    /// <summary>
    /// Adds the user, again while the node answers Unavailable: a cluster that has just formed may not have started
    /// its registry's shards yet (seen under load), and the API says a repeat is safe.
    /// </summary>
    private static async Task AddUserAsync(HandlerService.HandlerServiceClient handler)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            try
            {
                await handler.AlterInboundAsync(AddUser(), deadline: deadline);
                return;
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
            }
        }
    }

    /// <summary>
    /// One transfer of <paramref name="transfer"/>.Up bytes up and .Down bytes down through the v2ray client at
    /// <paramref name="port"/>, repeated while the node refuses the user (those move no counted byte).
    /// </summary>
    private static async Task TransferUntilServedAsync(int port, (int Up, int Down) transfer)
    {
        using var cts = new CancellationTokenSource(Bound);
        var payload = Payloads.Random(transfer.Up, seed: transfer.Up);
        while (true)
        {
            using var tcp = new TcpClient(AddressFamily.InterNetwork);
            await tcp.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            var stream = tcp.GetStream();
            var received = new MemoryStream();
            try
            {
                var send = stream.WriteAsync(payload, cts.Token).AsTask();
                await stream.CopyToAsync(received, cts.Token);
                await send;
            }
            catch (IOException)
            {
                // refused: the node closed while the payload was still going
            }
            if (received.Length == transfer.Down)
            {
                Assert.Equal(Payloads.Sha256Hex(Payloads.Random(transfer.Down, seed: transfer.Down)), Payloads.Sha256Hex(received.ToArray()));
                return;
            }
            Assert.True(received.Length == 0, $"a transfer returned {received.Length} of {transfer.Down} bytes");
            await Task.Delay(100, cts.Token);
        }
    }

    // The target: reads the uplink size the test sends (known from the first transfer that has it), answers with its downlink.
    private static async Task ReadThenWriteAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        long read = 0;
        var transfer = default((int Up, int Down));
        while (transfer == default)
        {
            var n = await socket.ReceiveAsync(buffer, ct);
            if (n == 0) return;
            read += n;
            foreach (var t in Transfers)
            {
                if (read == t.Up) transfer = t;
            }
        }
        await socket.SendAsync(Payloads.Random(transfer.Down, seed: transfer.Down), ct);
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Asks node 2 with v2ctl until the user's counters reach the expected totals (reports arrive each second).</summary>
    private async Task<(long Up, long Down)> CountersAtNode2Async(int apiPort, long up, long down)
    {
        var deadline = DateTime.UtcNow + Bound;
        (long Up, long Down) last = default;
        string lastOutput = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var (exitCode, stdout, stderr) = await V2Ctl.ApiAsync(apiPort, "StatsService.QueryStats", "pattern: \"\" reset: false");
            Assert.True(exitCode == 0, $"v2ctl exited {exitCode}: {stdout}{stderr}");
            lastOutput = stdout;
            last = (Counter(stdout, "uplink"), Counter(stdout, "downlink"));
            if (last.Up >= up && last.Down >= down) return last;
            await Task.Delay(200);
        }
        output.WriteLine(lastOutput);
        return last;
    }

    private static long Counter(string v2ctlOutput, string direction)
    {
        var match = Regex.Match(v2ctlOutput, $"name: \"user>>>{Regex.Escape(Email)}>>>traffic>>>{direction}\"\\s*value: (\\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static int ApiPort(string stdout)
    {
        var match = ApiLine().Match(stdout);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new FormatException($"no api line in:\n{stdout}");
    }

    [GeneratedRegex(@"api: gRPC .* on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ApiLine();

    /// <summary>AddUserOperation as V2Ray's tools build it, from V2Ray's generated messages.</summary>
    private static AlterInboundRequest AddUser() => new()
    {
        Tag = "vmess-in",
        Operation = Typed(new AddUserOperation
        {
            User = new User
            {
                Email = Email,
                Account = Typed(new V2RayVMessAccount { Id = UserId, SecuritySettings = new SecurityConfig { Type = SecurityType.Auto } }),
            },
        }),
    };

    private static TypedMessage Typed(IMessage message) => new() { Type = message.Descriptor.FullName, Value = message.ToByteString() };

    /// <summary>A VMess inbound (tag vmess-in) with one user of the node's own, and the API as V2Ray's docs configure it.</summary>
    private static string NodeConfig(int node) => $$"""
        {
          "log": { "loglevel": "info" },
          "api": { "tag": "api", "services": ["HandlerService", "StatsService"] },
          "stats": {},
          "inbounds": [
            { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess",
              "settings": { "clients": [ { "id": "5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c021{{node}}", "email": "node{{node}}@example.com" } ] } },
            { "tag": "api", "listen": "127.0.0.1", "port": 0, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }
          ],
          "outbounds": [ { "protocol": "freedom" } ],
          "routing": { "rules": [ { "type": "field", "inboundTag": ["api"], "outboundTag": "api" } ] },
          "policy": { "levels": { "0": { "handshake": 2, "statsUserUplink": true, "statsUserDownlink": true } } }
        }
        """;
}
