using System.Diagnostics;
using System.Globalization;
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
public sealed class ClusterApiTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private const string Email = "api-added@example.com";
    private const string UserId = "5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0201";

    // Different sizes each way, so an uplink/downlink swap or a lost chunk shows.
    private static readonly KnownTransfer[] Transfers = [new(300_007, 1_200_011), new(700_001, 90_003)];

    [Fact]
    public async Task A_user_added_through_node_1s_api_should_be_served_at_node_3_and_counted_exactly_by_v2ctl_at_node_2()
    {
        await using var cluster = await ThreeNodeCluster.CreateAsync(postgres, output);
        await using var target = new LoopbackTcpServer(KnownTransfer.ServeAsync);
        await cluster.StartAllAsync(StatsApi.NodeConfig(1), StatsApi.NodeConfig(2), StatsApi.NodeConfig(3));
        var apiPorts = await Task.WhenAll(cluster.Running.Select(StatsApi.PortAsync));

        using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPorts[0]}"))
        {
            await AddUserAsync(new HandlerService.HandlerServiceClient(channel));
        }
        var clock = Stopwatch.StartNew();
        var atNode3 = await cluster.ClientAsync(UserId, 2, target.Port);
        var atNode1 = await cluster.ClientAsync(UserId, 0, target.Port);
        // Until node 3 serves the user its handshakes are refused, and a refused connection counts nothing.
        await Transfers[0].RunUntilServedAsync(atNode3);
        output.WriteLine($"the user added at node 1 was served at node 3 {clock.ElapsedMilliseconds} ms after AlterInbound returned");
        await Transfers[1].RunUntilServedAsync(atNode1);

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
}
