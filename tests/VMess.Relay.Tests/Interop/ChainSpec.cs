using Akka.Actor;
using Akka.Configuration;
using VMess.Relay.Policy;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// Chains of hops driven by real clients: curl as the SOCKS5 or HTTP proxy client, our node as the local proxy, as a
/// relay that is client and server at once (vmess in, vmess out), and as the exit, with the real v2ray 4.34 as the
/// server or the middle hop. The local HTTP server checks every body byte.
/// </summary>
public sealed class ChainSpec(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const int BodyLength = 4 * 1024 * 1024;
    private readonly LoopbackHttpServer _http = new();
    private readonly List<ActorSystem> _systems = new();
    private readonly List<V2RayProcess> _v2ray = new();

    [Fact]
    public async Task Curl_through_our_client_our_relay_and_a_real_v2ray_server_gets_the_whole_body()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (relayUser, exitUser) = (NodeUser.Aead("relay@test"), NodeUser.Legacy("exit@test"));
        var (exitPort, relayPort, socksPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        await StartV2RayAsync(HopConfigs.Relay(exitPort, exitUser), exitPort, cts.Token);
        StartOurNode(HopConfigs.Relay(relayPort, relayUser, next: (exitPort, exitUser)));
        StartOurNode(HopConfigs.LocalProxy(socksPort, httpPort, relayPort, relayUser));

        await AssertCurlGetsBodyAsync(["--socks5-hostname", $"127.0.0.1:{socksPort}"], "localhost", seed: 1, cts.Token);
    }

    [Fact]
    public async Task Curl_through_our_client_a_real_v2ray_relay_and_our_exit_gets_the_whole_body()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (relayUser, exitUser) = (NodeUser.Legacy("relay@test"), NodeUser.Aead("exit@test"));
        var (exitPort, relayPort, socksPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        StartOurNode(HopConfigs.Relay(exitPort, exitUser));
        await StartV2RayAsync(HopConfigs.Relay(relayPort, relayUser, next: (exitPort, exitUser)), relayPort, cts.Token);
        StartOurNode(HopConfigs.LocalProxy(socksPort, httpPort, relayPort, relayUser));

        await AssertCurlGetsBodyAsync(["--socks5-hostname", $"127.0.0.1:{socksPort}"], "localhost", seed: 2, cts.Token);
    }

    public static TheoryData<string, string[]> LocalProxyClients() => new()
    {
        { "socks5 with an IP", ["--socks5", "127.0.0.1:{socks}"] },
        { "socks4a", ["--socks4a", "127.0.0.1:{socks}"] },
        { "http plain request", ["-x", "http://127.0.0.1:{http}"] },
        { "http CONNECT tunnel", ["-p", "-x", "http://127.0.0.1:{http}"] },
    };

    [Theory, MemberData(nameof(LocalProxyClients))]
    public async Task Curl_as_a_proxy_client_of_our_local_inbounds_reaches_a_real_v2ray_server(string kind, string[] proxyArguments)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("user@test");
        var (serverPort, socksPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        await StartV2RayAsync(HopConfigs.Relay(serverPort, user), serverPort, cts.Token);
        StartOurNode(HopConfigs.LocalProxy(socksPort, httpPort, serverPort, user));
        var arguments = proxyArguments.Select(a => a.Replace("{socks}", $"{socksPort}").Replace("{http}", $"{httpPort}")).ToArray();

        await AssertCurlGetsBodyAsync(arguments, "127.0.0.1", seed: kind.Length, cts.Token);
    }

    public static TheoryData<string, string[]> PasswordProxyClients() => new()
    {
        { "socks5", ["--socks5-hostname", "127.0.0.1:{socks}"] },
        { "http", ["-x", "http://127.0.0.1:{http}"] },
    };

    [Theory, MemberData(nameof(PasswordProxyClients))]
    public async Task Our_password_protected_local_inbounds_serve_the_account_and_refuse_others(string kind, string[] proxyArguments)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("user@test");
        var (serverPort, socksPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        await StartV2RayAsync(HopConfigs.Relay(serverPort, user), serverPort, cts.Token);
        var node = StartOurNode(HopConfigs.LocalProxy(socksPort, httpPort, serverPort, user, account: ("alice", "s3cret")));
        var arguments = proxyArguments.Select(a => a.Replace("{socks}", $"{socksPort}").Replace("{http}", $"{httpPort}")).ToArray();
        var url = $"http://127.0.0.1:{_http.Port}{LoopbackHttpServer.BytesPath(1024, 3)}";

        var refused = await Curl.RunAsync(["--fail", "--proxy-user", "alice:wrong", .. arguments, url], cts.Token);
        await AssertCurlGetsBodyAsync([.. arguments, "--proxy-user", "alice:s3cret"], "127.0.0.1", seed: kind.Length, cts.Token);

        Assert.True(refused.ExitCode != 0, $"a wrong password got through: {refused.Body.Length} bytes");
        await Waits.UntilAsync(() => node.Rejections[RejectionCause.ProxyRequestRefused] == 1, cts.Token);
    }

    [Fact]
    public async Task Our_http_inbound_forwards_a_plain_request_in_origin_form_without_proxy_headers()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("user@test");
        var (serverPort, socksPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        await StartV2RayAsync(HopConfigs.Relay(serverPort, user), serverPort, cts.Token);
        StartOurNode(HopConfigs.LocalProxy(socksPort, httpPort, serverPort, user));

        await AssertCurlGetsBodyAsync(["-x", $"http://127.0.0.1:{httpPort}", "-H", "Proxy-Connection: keep-alive"], "127.0.0.1", seed: 9, cts.Token);

        var head = Assert.Single(_http.RequestHeads);
        Assert.StartsWith($"GET {LoopbackHttpServer.BytesPath(BodyLength, 9)} HTTP/1.1", head);
        Assert.DoesNotContain("Proxy-Connection", head, StringComparison.OrdinalIgnoreCase);
    }

    private async Task AssertCurlGetsBodyAsync(string[] proxyArguments, string host, int seed, CancellationToken ct)
    {
        var url = $"http://{host}:{_http.Port}{LoopbackHttpServer.BytesPath(BodyLength, seed)}";

        var result = await Curl.RunAsync([.. proxyArguments, url], ct);

        Assert.True(result.ExitCode == 0, $"curl exited {result.ExitCode}: {result.Error}\n{V2RayOutput()}");
        Assert.Equal(Payloads.Sha256Hex(Payloads.Random(BodyLength, seed)), Payloads.Sha256Hex(result.Body));
    }

    private TestNode StartOurNode(string configJson)
    {
        var system = ActorSystem.Create($"chain-{_systems.Count}", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));
        _systems.Add(system);
        return TestNode.Start(system, configJson);
    }

    private async Task StartV2RayAsync(string configJson, int port, CancellationToken ct) =>
        _v2ray.Add(await V2RayProcess.StartAsync(configJson, [port], output, ct));

    private string V2RayOutput() => string.Join("\n", _v2ray.Select(v => v.Output));

    public Task InitializeAsync()
    {
        V2RayBinary.Require();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var system in _systems) await system.Terminate();
        foreach (var v2ray in _v2ray) await v2ray.DisposeAsync();
        await _http.DisposeAsync();
    }
}
