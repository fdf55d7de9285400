using VMess.Api.Stats;
using VMess.Api.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Api.Tests.Stats;

/// <summary>Debian's real v2ctl 4.34 against our server: the Stats and Logger calls it makes succeed and print what the counters hold.</summary>
public sealed class V2CtlInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly InMemoryTrafficStats _traffic = new();
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _traffic.Add("user>>>alice@example.com>>>traffic>>>uplink", 1234);
        _traffic.Add("user>>>alice@example.com>>>traffic>>>downlink", 56789);
        _api = await StandaloneApi.StartAsync(_traffic);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task QueryStats_should_print_every_counter()
    {
        var stdout = await SucceedAsync("StatsService.QueryStats", "pattern: \"\" reset: false");

        Assert.Equal("""
            stat: <
              name: "user>>>alice@example.com>>>traffic>>>downlink"
              value: 56789
            >
            stat: <
              name: "user>>>alice@example.com>>>traffic>>>uplink"
              value: 1234
            >
            """, stdout.Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task GetStats_should_print_the_counter()
    {
        var stdout = await SucceedAsync("StatsService.GetStats", "name: \"user>>>alice@example.com>>>traffic>>>uplink\" reset: false");

        Assert.Contains("name: \"user>>>alice@example.com>>>traffic>>>uplink\"", stdout, StringComparison.Ordinal);
        Assert.Contains("value: 1234", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStats_of_an_unknown_counter_should_fail_saying_it_is_not_found()
    {
        var (exitCode, _, stderr) = await V2Ctl.ApiAsync(_api.EndPoint.Port, "StatsService.GetStats", "name: \"nope\" reset: false");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("nope not found.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSysStats_should_print_the_runtime_fields()
    {
        var stdout = await SucceedAsync("StatsService.GetSysStats", "");

        Assert.Contains("NumGoroutine: ", stdout, StringComparison.Ordinal);
        Assert.Contains("Alloc: ", stdout, StringComparison.Ordinal);
        Assert.Contains("Sys: ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartLogger_should_succeed()
    {
        await SucceedAsync("LoggerService.RestartLogger", "");
    }

    private async Task<string> SucceedAsync(string method, string request)
    {
        var (exitCode, stdout, stderr) = await V2Ctl.ApiAsync(_api.EndPoint.Port, method, request);
        output.WriteLine($"v2ctl api {method} '{request}' -> {exitCode}\n{stdout}{stderr}");
        Assert.True(exitCode == 0, $"v2ctl exited with {exitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        return stdout;
    }
}
