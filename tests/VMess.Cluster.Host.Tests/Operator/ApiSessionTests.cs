using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using VMess.Cluster.Host.Tests.Support;
using VMess.Testing;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary>
/// How an operator command reaches the API and says what went wrong: the token as a bearer header (from --token or
/// VMESS_API_TOKEN), one line naming the status, exit code 1, and no wait beyond --timeout.
/// </summary>
public sealed class ApiSessionTests : IAsyncLifetime
{
    private StubApi _api = null!;

    public async Task InitializeAsync() => _api = await StubApi.StartAsync(withToken: true);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_call_with_the_token_should_be_answered()
    {
        var stats = await OperatorCli.RunAsync(["stats", "--server", _api.Server, "--token", StubApi.Token]);

        Assert.Equal(new CliResult(0, "no counters\n", ""), stats);
    }

    [Fact]
    public async Task The_token_should_be_taken_from_VMESS_API_TOKEN_when_not_given()
    {
        var stats = await OperatorCli.RunAsync(["stats", "--server", _api.Server], new Dictionary<string, string> { ["VMESS_API_TOKEN"] = StubApi.Token });

        Assert.True(stats.ExitCode == 0, stats.ToString());
    }

    [Fact]
    public async Task A_wrong_token_should_exit_1_saying_UNAUTHENTICATED_and_that_the_token_is_wrong()
    {
        var stats = await OperatorCli.RunAsync(["stats", "--server", _api.Server, "--token", "not-the-token"]);

        Assert.Equal(1, stats.ExitCode);
        Assert.StartsWith($"vmess-cluster: the operator API at {_api.Server} refused StatsService.QueryStats: UNAUTHENTICATED: ", stats.Stderr,
            StringComparison.Ordinal);
        Assert.EndsWith("(the token given is not the node's)\n", stats.Stderr, StringComparison.Ordinal);
        Assert.Empty(stats.Stdout);
    }

    [Fact]
    public async Task No_token_should_exit_1_saying_how_to_give_one()
    {
        var stats = await OperatorCli.RunAsync(["stats", "--server", _api.Server]);

        Assert.Equal(1, stats.ExitCode);
        Assert.EndsWith("(give the node's token with --token TOKEN or VMESS_API_TOKEN)\n", stats.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_refuses_connections_should_exit_1_saying_it_cannot_be_reached()
    {
        var closedPort = FreePort.Tcp();

        var stats = await OperatorCli.RunAsync(["stats", "--server", $"127.0.0.1:{closedPort}", "--timeout", "5"]);

        Assert.Equal(1, stats.ExitCode);
        Assert.StartsWith($"vmess-cluster: cannot reach the operator API at 127.0.0.1:{closedPort}: ", stats.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("(UNAVAILABLE)\n", stats.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_should_exit_1_once_the_timeout_has_passed()
    {
        // Accepts connections (the kernel's backlog) and never speaks HTTP/2.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen();
        var server = $"127.0.0.1:{((IPEndPoint)silent.LocalEndPoint!).Port}";
        var elapsed = Stopwatch.StartNew();

        var stats = await OperatorCli.RunAsync(["stats", "--server", server, "--timeout", "0.5"]);

        Assert.Equal(1, stats.ExitCode);
        Assert.Equal($"vmess-cluster: the operator API at {server} did not answer StatsService.QueryStats within 0.5 s (DEADLINE_EXCEEDED); " +
            "--timeout SECONDS waits longer\n", stats.Stderr);
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_service_the_node_does_not_serve_should_exit_1_saying_where_it_comes_from()
    {
        // The stub serves no UserService (it has no registry to read).
        var listed = await OperatorCli.RunAsync(["user", "list", "--server", _api.Server, "--token", StubApi.Token]);

        Assert.Equal(1, listed.ExitCode);
        Assert.StartsWith($"vmess-cluster: UserService.ListUsers at {_api.Server}: UNIMPLEMENTED: ", listed.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("(a vmess-cluster node serves UserService where its api.services has HandlerService)\n", listed.Stderr, StringComparison.Ordinal);
    }
}
