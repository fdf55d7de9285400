using VMess.Registry.Traffic;
using VMess.Relay.Tests.Support;
using static VMess.Relay.Tests.Interop.RealClientTrafficFixture;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// What a node counts for V2Ray's user counters is the payload, exactly (as V2Ray's dispatcher counts it): a known
/// transfer through a real v2ray client shows as that many bytes each way for its user, whether the connection is
/// plain, a Mux.Cool session, or relayed on over a VMess outbound. The inbound's counters hold the raw bytes.
/// </summary>
public sealed class RealClientTrafficSpec(RealClientTrafficFixture fixture) : IClassFixture<RealClientTrafficFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TrafficTotals OneExchange = new(RequestLength, ReplyLength);

    [Fact]
    public async Task Known_transfer_should_count_exactly_its_payload_for_its_aead_user()
    {
        using var cts = new CancellationTokenSource(Bound);

        Assert.Equal(ReplyLength, await FixedExchangeServer.ExchangeAsync(fixture.AeadPort, RequestLength, seed: 1, cts.Token));

        Assert.Equal(OneExchange, await fixture.NodeTotals.WaitForAsync(Aead.Email, OneExchange, Bound));
    }

    [Fact]
    public async Task Known_transfers_should_add_up_for_a_legacy_user_under_its_email_as_spelt()
    {
        using var cts = new CancellationTokenSource(Bound);

        for (var seed = 0; seed < 3; seed++)
            Assert.Equal(ReplyLength, await FixedExchangeServer.ExchangeAsync(fixture.LegacyPort, RequestLength, seed, cts.Token));

        Assert.Equal(new TrafficTotals(3L * RequestLength, 3L * ReplyLength), await fixture.NodeTotals.WaitForAsync("Legacy@Test", new(3L * RequestLength, 3L * ReplyLength), Bound));
    }

    [Fact]
    public async Task Every_muxed_session_should_count_for_the_mux_connections_user()
    {
        using var cts = new CancellationTokenSource(Bound);
        const int Sessions = 6;

        var replies = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(seed => FixedExchangeServer.ExchangeAsync(fixture.MuxPort, RequestLength, seed, cts.Token)));

        Assert.All(replies, length => Assert.Equal(ReplyLength, length));
        var expected = new TrafficTotals(Sessions * (long)RequestLength, Sessions * (long)ReplyLength);
        Assert.Equal(expected, await fixture.NodeTotals.WaitForAsync(Mux.Email, expected, Bound));
    }

    [Fact]
    public async Task Relay_with_a_vmess_outbound_should_count_the_payload_not_the_outbounds_framing_and_so_should_the_exit()
    {
        using var cts = new CancellationTokenSource(Bound);
        var (relayBefore, exitBefore) = (fixture.RelayTotals.Of(RelayUser.Email), fixture.ExitTotals.Of(ExitUser.Email));

        Assert.Equal(ReplyLength, await FixedExchangeServer.ExchangeAsync(fixture.ChainPort, RequestLength, seed: 7, cts.Token));

        Assert.Equal(OneExchange, await fixture.RelayTotals.WaitForAsync(RelayUser.Email, relayBefore + OneExchange, Bound) - relayBefore);
        Assert.Equal(OneExchange, await fixture.ExitTotals.WaitForAsync(ExitUser.Email, exitBefore + OneExchange, Bound) - exitBefore);
    }

    [Fact]
    public async Task Inbound_counters_should_hold_the_raw_bytes_of_the_tagged_inbounds_connections()
    {
        using var cts = new CancellationTokenSource(Bound);
        var inbound = fixture.RelayNode.Relay.Traffic.FindInbound("vmess-in")!;
        fixture.RelayNode.Relay.Traffic.Collect();
        var before = new TrafficTotals(inbound.Uplink, inbound.Downlink);
        var userBefore = fixture.RelayTotals.Of(RelayUser.Email);

        await FixedExchangeServer.ExchangeAsync(fixture.ChainPort, RequestLength, seed: 8, cts.Token);
        // The user's count comes with the connection's close, and so does the inbound's.
        await fixture.RelayTotals.WaitForAsync(RelayUser.Email, userBefore + OneExchange, Bound);

        var raw = new TrafficTotals(inbound.Uplink, inbound.Downlink) - before;
        // The VMess framing (header, a length and a tag per chunk, padding) on top of the payload; never less.
        Assert.InRange(raw.Uplink, RequestLength + 1, RequestLength * 11L / 10);
        Assert.InRange(raw.Downlink, ReplyLength + 1, ReplyLength * 11L / 10);
    }
}
