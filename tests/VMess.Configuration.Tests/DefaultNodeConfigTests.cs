using System.Net;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Tests;

public sealed class DefaultNodeConfigTests
{
    private static readonly VMessUserId Alice = VMessUserId.Parse(Samples.AliceId);

    [Fact]
    public void CreateJson_should_give_a_config_the_loader_reads_as_one_vmess_inbound_and_one_freedom_outbound()
    {
        var expected = new NodeOptions(
            new LogOptions(LogLevel.Warning, null, AccessLogEnabled: true, null),
            [new InboundOptions(null, IPAddress.Loopback, 10086, InboundProtocol.VMess, new VMessInboundSettings(
                [new VMessAccount(Alice, AlterId: 0)], VMessDefaultUser.Default, null, false))],
            [OutboundOptions.DefaultFreedom],
            PolicyOptions.Default);

        var result = ConfigLoader.Load(DefaultNodeConfig.CreateJson(Alice, 10086));

        Assert.Equal(expected, Samples.Valid(result));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void CreateJson_should_listen_where_asked()
    {
        var options = Samples.Valid(ConfigLoader.Load(DefaultNodeConfig.CreateJson(Alice, 1, listen: "::")));

        Assert.Equal(IPAddress.IPv6Any, options.Inbounds[0].Listen);
    }

    [Fact]
    public void CreateJson_should_refuse_a_listen_value_that_is_not_an_IP_address()
    {
        Assert.Throws<ArgumentException>(() => DefaultNodeConfig.CreateJson(Alice, 1, listen: "localhost"));
    }

    [Fact]
    public void CreateJson_should_refuse_a_port_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultNodeConfig.CreateJson(Alice, 65536));
    }

    [Fact]
    public async Task CreateJson_should_give_a_config_that_the_real_v2ray_accepts()
    {
        var (accepted, output) = await V2RayTest.CheckJsonAsync(DefaultNodeConfig.CreateJson(Alice, 10086));

        Assert.True(accepted, output);
    }
}
