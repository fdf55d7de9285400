using System.Net;
using VMess.ProxyProtocols.Socks;

namespace VMess.ProxyProtocols.Tests.Socks;

public sealed class SocksUdpRelayTests
{
    private static readonly IPAddress Listen = IPAddress.Any;
    private static readonly IPAddress Remote = IPAddress.Parse("192.168.1.20");

    [Fact]
    public void Reply_address_should_be_the_configured_ip_when_set()
    {
        var configured = IPAddress.Parse("10.0.0.1");

        Assert.Equal(configured, SocksUdpRelay.ReplyAddress(configured, Listen, IPAddress.Loopback));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Reply_address_should_be_the_loopback_client_itself(string client)
    {
        Assert.Equal(IPAddress.Parse(client), SocksUdpRelay.ReplyAddress(null, Listen, IPAddress.Parse(client)));
    }

    [Fact]
    public void Reply_address_should_be_the_listen_address_for_other_clients()
    {
        Assert.Equal(Listen, SocksUdpRelay.ReplyAddress(null, Listen, Remote));
    }
}
