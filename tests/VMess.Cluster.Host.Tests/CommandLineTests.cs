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
}
