using System.Net;
using System.Net.Sockets;
using VMess.Cluster.Host.Tests.Support;
using VMess.Configuration;
using VMess.Protocol.Ids;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests;

/// <summary>
/// <c>vmess-cluster run</c> as a process: the README's command on a fresh directory, with a real v2ray client
/// configured from what it prints, and a start that cannot listen.
/// </summary>
public sealed class NodeRunnerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(60);

    // Any free port instead of 10086, which another process on the machine may hold.
    private static readonly Dictionary<string, string> AnyPort = new() { [NodeRunner.DefaultPortVariable] = "0" };

    [Fact]
    public async Task Run_without_arguments_should_serve_a_real_v2ray_client_configured_from_what_it_prints()
    {
        await using var host = HostProcess.Start([], environment: AnyPort);
        await host.WaitForOutputAsync(line => line.Contains("press Ctrl+C to stop", StringComparison.Ordinal), StartupTimeout);
        var printed = PrintedConnection.Parse(host.Stdout);
        Assert.Equal(("127.0.0.1", 0, "auto"), (printed.Address, printed.AlterId, printed.Security));

        await using var echo = new TcpEchoServer();
        var localPort = FreePort.Tcp();
        using var cts = new CancellationTokenSource(TransferTimeout);
        await using var v2ray = await V2RayProcess.StartAsync(
            V2RayConfigs.Client(localPort, "127.0.0.1", echo.Port, printed.Port, printed.Id, printed.AlterId, printed.Security, "tcp"),
            [localPort], output, cts.Token);
        var payload = Payloads.Random(2 * 1024 * 1024, seed: 10086);
        var echoed = await EchoRoundTrip.RunAsync(localPort, payload, cts.Token);

        Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed), $"echo differs ({echoed.Length} of {payload.Length} bytes)\n{host.Describe()}");
    }

    [Fact]
    public async Task Run_without_arguments_should_print_a_vmess_link_that_matches_the_printed_fields()
    {
        await using var host = HostProcess.Start([], environment: AnyPort);
        await host.WaitForOutputAsync(line => line.Contains("press Ctrl+C to stop", StringComparison.Ordinal), StartupTimeout);
        var printed = PrintedConnection.Parse(host.Stdout);

        Assert.True(VMessShareLink.TryParse(printed.Link, out var link), printed.Link);
        Assert.Equal((printed.Address, printed.Port, VMessUserId.Parse(printed.Id), printed.AlterId, printed.Security),
            (link.Address, link.Port, link.Id, link.AlterId, link.Security));
    }

    [Fact]
    public async Task Run_without_arguments_should_write_vmess_local_json_and_reuse_it_on_the_next_start()
    {
        using var directory = new TempDirectory();
        string firstId;
        await using (var first = HostProcess.Start([], directory, AnyPort))
        {
            await first.WaitForOutputAsync(line => line.Contains("press Ctrl+C to stop", StringComparison.Ordinal), StartupTimeout);
            firstId = PrintedConnection.Parse(first.Stdout).Id;
            Assert.Contains("wrote a new config with a fresh id", first.Stdout, StringComparison.Ordinal);
        }
        var written = ConfigLoader.LoadFile(Path.Combine(directory.Path, NodeRunner.DefaultConfigPath));
        Assert.True(written.IsValid, string.Join("\n", written.Errors));

        await using var second = HostProcess.Start([], directory, AnyPort);
        await second.WaitForOutputAsync(line => line.Contains("press Ctrl+C to stop", StringComparison.Ordinal), StartupTimeout);

        Assert.Equal(firstId, PrintedConnection.Parse(second.Stdout).Id);
        Assert.DoesNotContain("wrote a new config", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_exit_1_saying_it_cannot_listen_when_the_port_is_taken()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        using var directory = new TempDirectory();
        var config = directory.Write("node.json", DefaultNodeConfig.CreateJson(VMessUserId.NewRandom(), port));

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["run", "-c", config], directory);

        Assert.True(exitCode == 1, $"exit code {exitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("is running", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_exit_1_when_the_default_port_override_is_not_a_port()
    {
        var (exitCode, _, stderr) = await HostProcess.RunAsync([], environment: new Dictionary<string, string> { [NodeRunner.DefaultPortVariable] = "http" });

        Assert.Equal(1, exitCode);
        Assert.Contains($"{NodeRunner.DefaultPortVariable}='http' is not a port number", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_exit_1_naming_the_read_model_file_when_it_cannot_be_created()
    {
        using var directory = new TempDirectory();
        var config = directory.Write("node.json", DefaultNodeConfig.CreateJson(VMessUserId.NewRandom(), 0));
        var notAFolder = directory.Write("not-a-folder", "a file where the read model's folder should be");
        var readModel = Path.Combine(notAFolder, "vmess-users.db");

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["run", "-c", config], directory,
            new Dictionary<string, string> { ["VMess__Registry__Persistence__ReadModelPath"] = readModel });

        Assert.True(exitCode == 1, $"exit code {exitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains($"the registry's read-model file {readModel} cannot be opened", stderr, StringComparison.Ordinal);
    }
}
