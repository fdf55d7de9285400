using System.Net;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Tests.Options;

public sealed class NodeOptionsTests
{
    private static NodeOptions Build() => new(
        LogOptions.Default,
        [new InboundOptions("in", IPAddress.Loopback, 1, InboundProtocol.VMess, new VMessInboundSettings(
            [new VMessAccount(VMessUserId.Parse(Samples.AliceId))], VMessDefaultUser.Default, null, false))],
        [OutboundOptions.DefaultFreedom],
        PolicyOptions.Default);

    [Fact]
    public void Equals_should_compare_arrays_element_by_element()
    {
        Assert.Equal(Build(), Build());
    }

    [Fact]
    public void Equals_should_see_a_changed_client()
    {
        var changed = Build() with { };
        var inbound = changed.Inbounds[0];
        changed = changed with { Inbounds = [inbound with { VMess = inbound.VMess! with { Clients = [] } }] };

        Assert.NotEqual(Build(), changed);
    }
}
