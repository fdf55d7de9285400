using VMess.Registry.Traffic;

namespace VMess.Registry.Tests.Traffic;

public sealed class StatCounterNamesTests
{
    [Fact]
    public void Names_should_be_V2Rays()
    {
        Assert.Equal("user>>>alice@example.com>>>traffic>>>uplink", StatCounterNames.User("alice@example.com", TrafficDirection.Uplink));
        Assert.Equal("inbound>>>vmess-in>>>traffic>>>downlink", StatCounterNames.Inbound("vmess-in", TrafficDirection.Downlink));
    }

    [Theory]
    [InlineData("user>>>Alice@example.com>>>traffic>>>uplink", StatCounterSubject.User, "Alice@example.com", TrafficDirection.Uplink)]
    [InlineData("inbound>>>api>>>traffic>>>downlink", StatCounterSubject.Inbound, "api", TrafficDirection.Downlink)]
    [InlineData("user>>>a>>>b>>>traffic>>>downlink", StatCounterSubject.User, "a>>>b", TrafficDirection.Downlink)]
    public void TryParse_should_split_a_traffic_counter_name(string name, StatCounterSubject subject, string subjectName, TrafficDirection direction)
    {
        Assert.True(StatCounterNames.TryParse(name, out var parsedSubject, out var parsedName, out var parsedDirection));
        Assert.Equal((subject, subjectName, direction), (parsedSubject, parsedName, parsedDirection));
    }

    [Theory]
    [InlineData("")]
    [InlineData("user>>>>>>traffic>>>uplink")]
    [InlineData("outbound>>>direct>>>traffic>>>uplink")]
    [InlineData("user>>>alice>>>traffic>>>sideways")]
    [InlineData("User>>>alice>>>traffic>>>uplink")]
    public void TryParse_should_refuse_any_other_name(string name)
    {
        Assert.False(StatCounterNames.TryParse(name, out _, out _, out _));
    }
}
