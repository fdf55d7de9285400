using VMess.Cluster.Host.Tests.Support;

namespace VMess.Cluster.Host.Tests;

/// <summary>The built <c>vmess-cluster</c>'s commands that print and exit, run as a process.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Version_should_print_the_assembly_version_and_exit_0()
    {
        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["version"]);

        Assert.True(exitCode == 0, stderr);
        Assert.StartsWith($"vmess-cluster {typeof(CommandLine).Assembly.GetName().Version} ", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_should_print_the_usage_and_exit_0(string flag)
    {
        var (exitCode, stdout, stderr) = await HostProcess.RunAsync([flag]);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("usage: vmess-cluster [run] [-c FILE]", stdout, StringComparison.Ordinal);
        Assert.Contains("vmess-cluster test -c FILE", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_argument_should_exit_2_naming_it_and_printing_the_usage()
    {
        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["--frobnicate"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("vmess-cluster: unknown argument '--frobnicate'", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: vmess-cluster", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task A_config_flag_without_a_file_should_exit_2()
    {
        var (exitCode, _, stderr) = await HostProcess.RunAsync(["run", "-c"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("-c needs a file name", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_without_a_config_should_exit_2()
    {
        var (exitCode, _, stderr) = await HostProcess.RunAsync(["test"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("test needs -c FILE", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_should_list_the_operator_commands()
    {
        var (exitCode, stdout, _) = await HostProcess.RunAsync(["--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("vmess-cluster user add EMAIL [--id UUID] [--alter-id N] [--level N] [--tag INBOUND_TAG]", stdout, StringComparison.Ordinal);
        Assert.Contains("vmess-cluster stats [--pattern P] [--reset]", stdout, StringComparison.Ordinal);
        Assert.Contains("vmess-cluster link EMAIL", stdout, StringComparison.Ordinal);
        Assert.Contains("--token TOKEN", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_command_refused_by_the_API_should_exit_1_with_one_line_and_no_stack_trace()
    {
        await using var api = await StubApi.StartAsync(withToken: true);

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["stats", "--server", api.Server],
            environment: new Dictionary<string, string> { ["VMESS_API_TOKEN"] = "not-the-token" });

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"vmess-cluster: the operator API at {api.Server} refused StatsService.QueryStats: UNAUTHENTICATED: ", line, StringComparison.Ordinal);
    }
}
