using Google.Protobuf;
using Grpc.Net.Client;
using VMess.Api.V2Ray.App.Proxyman.Command;
using VMess.Api.V2Ray.Common.Protocol;
using VMess.Api.V2Ray.Common.Serial;
using VMess.Api.V2Ray.Proxy.VMess;
using VMess.Cluster.Host.Tests.Support;
using VMess.Protocol.Ids;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests.Hosting;

/// <summary>
/// <c>vmess-cluster run</c> with V2Ray's <c>api</c> section, as a process: the API serves on the api inbound's address,
/// wired to the node's registry; off loopback without a token the node does not start.
/// </summary>
public sealed class ApiStartupTests(ApiStartupTests.NodeWithApi node, ITestOutputHelper output) : IClassFixture<ApiStartupTests.NodeWithApi>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_should_add_a_user_through_the_api_that_a_real_v2ray_client_then_authenticates_as()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{node.ApiPort}");

        await new HandlerService.HandlerServiceClient(channel).AlterInboundAsync(AddUser("vmess-in", "api-user@example.com", id), cancellationToken: cts.Token);

        await using var echo = new TcpEchoServer();
        var localPort = FreePort.Tcp();
        await using var v2ray = await V2RayProcess.StartAsync(
            V2RayConfigs.Client(localPort, "127.0.0.1", echo.Port, node.VMessPort, id.ToString(), 0, "aes-128-gcm", "tcp"), [localPort], output, cts.Token);
        // The registry's change reaches the inbound a moment after the call returns: try until it echoes.
        var payload = Payloads.Random(4096, seed: 85);
        while (!(await EchoAsync(localPort, payload, cts.Token)).AsSpan().SequenceEqual(payload))
        {
            await Task.Delay(100, cts.Token);
        }
    }

    [Fact]
    public async Task Run_should_serve_v2ctl_on_the_api_inbound()
    {
        var (exitCode, stdout, stderr) = await V2Ctl.ApiAsync(node.ApiPort, "StatsService.GetSysStats", "");

        Assert.True(exitCode == 0, $"v2ctl: {exitCode}\n{stdout}\n{stderr}\n{node.Describe()}");
        Assert.Contains("NumGoroutine: ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_exit_1_when_the_api_listens_off_loopback_without_a_token()
    {
        using var directory = new TempDirectory();
        var config = directory.Write("node.json", Config("0.0.0.0"));

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["run", "-c", config], directory);

        Assert.True(exitCode == 1, $"exit code {exitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains("not a loopback address: set a token (VMess:Api:Token, environment VMess__Api__Token)", stderr, StringComparison.Ordinal);
    }

    /// <summary>A VMess inbound with no users of its own, and the API as V2Ray's docs configure it; ports chosen by the OS.</summary>
    private static string Config(string apiListen) => $$"""
        {
          "log": { "loglevel": "warning" },
          "api": { "tag": "api", "services": ["HandlerService", "StatsService", "LoggerService"] },
          "stats": {},
          "inbounds": [
            { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess", "settings": { "clients": [] } },
            { "tag": "api", "listen": "{{apiListen}}", "port": 0, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }
          ],
          "outbounds": [ { "protocol": "freedom" } ],
          "routing": { "rules": [ { "type": "field", "inboundTag": ["api"], "outboundTag": "api" } ] }
        }
        """;

    private static AlterInboundRequest AddUser(string tag, string email, VMessUserId id) => new()
    {
        Tag = tag,
        Operation = Typed(new AddUserOperation
        {
            User = new User { Email = email, Account = Typed(new Account { Id = id.ToString() }) },
        }),
    };

    private static TypedMessage Typed(IMessage message) => new() { Type = message.Descriptor.FullName, Value = message.ToByteString() };

    /// <summary>Sends the payload and reads until it is back or the connection ends (a refusal ends it empty).</summary>
    private static async Task<byte[]> EchoAsync(int port, byte[] payload, CancellationToken ct)
    {
        using var tcp = new System.Net.Sockets.TcpClient(System.Net.Sockets.AddressFamily.InterNetwork);
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(payload, ct);
        var received = new byte[payload.Length];
        var count = 0;
        try
        {
            while (count < received.Length && await stream.ReadAsync(received.AsMemory(count), ct) is var n and > 0) count += n;
        }
        catch (IOException)
        {
            // a refused connection may end in a reset
        }
        return received[..count];
    }

    /// <summary>One node process with the API on 127.0.0.1, shared by the tests of the class (a node takes seconds to start).</summary>
    public sealed class NodeWithApi : IAsyncLifetime
    {
        private readonly TempDirectory _directory = new();
        private HostProcess? _host;

        public int VMessPort { get; private set; }

        public int ApiPort { get; private set; }

        public string Describe() => _host?.Describe() ?? "(not started)";

        public async Task InitializeAsync()
        {
            (_host, VMessPort, ApiPort) = await ApiNodeProcess.StartAsync(_directory, Config("127.0.0.1"));
        }

        public async Task DisposeAsync()
        {
            if (_host is not null) await _host.DisposeAsync();
            _directory.Dispose();
        }
    }
}
