using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Options;

public sealed class LevelPolicyTests
{
    [Fact]
    public void Default_should_be_V2Ray_4_34_SessionDefault_on_amd64()
    {
        var expected = new LevelPolicy(
            Handshake: TimeSpan.FromSeconds(60),
            ConnectionIdle: TimeSpan.FromSeconds(300),
            UplinkOnly: TimeSpan.FromSeconds(1),
            DownlinkOnly: TimeSpan.FromSeconds(1),
            BufferSizeBytes: 512 * 1024,
            StatsUserUplink: false,
            StatsUserDownlink: false);

        Assert.Equal(expected, LevelPolicy.Default);
    }
}
