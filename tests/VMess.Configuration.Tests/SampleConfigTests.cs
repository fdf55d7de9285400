namespace VMess.Configuration.Tests;

/// <summary>The valid samples are real V2Ray configs, not just configs this loader happens to accept.</summary>
public sealed class SampleConfigTests
{
    [Theory]
    [InlineData("typical-server.json")]
    [InlineData("policy-levels.json")]
    [InlineData("detour.json")]
    [InlineData("dynamic-ports.json")]
    public async Task Sample_should_be_accepted_by_the_real_v2ray(string name)
    {
        var (accepted, output) = await V2RayTest.CheckAsync(Samples.PathOf(name));

        Assert.True(accepted, output);
    }

    [Theory]
    [InlineData("client-socks-to-vmess.json")]
    [InlineData("server-with-api.json")]
    public async Task Example_should_be_accepted_by_the_real_v2ray(string name)
    {
        var (accepted, output) = await V2RayTest.CheckAsync(Samples.ExamplePathOf(name));

        Assert.True(accepted, output);
    }
}
