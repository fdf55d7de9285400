using Xunit.Abstractions;

namespace VMess.Testing.Tests;

public sealed class V2RayProcessTests
{
    private readonly ITestOutputHelper _output;

    public V2RayProcessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task StartAsync_should_fail_with_v2ray_output_when_the_config_is_invalid()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        const string config = """{ "inbounds": [ { "protocol": "vmess", "port": 1, "settings": { "clients": [ { "id": 42 } ] } } ] }""";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => V2RayProcess.StartAsync(config, [FreePort.Tcp()], _output, cts.Token));

        Assert.Contains("exited early", error.Message);
        Assert.Contains("V2Ray 4.34", error.Message);
    }
}
