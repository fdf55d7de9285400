using VMess.Registry.Replay;

namespace VMess.Registry.Tests.Replay;

public sealed class AuthIdOutboxTests
{
    [Fact]
    public void Accepted_ids_should_be_taken_in_order_with_their_expiry()
    {
        var outbox = new AuthIdOutbox(AuthIdExchangeSettings.Default);
        outbox.Accepted(1, 100);
        outbox.Accepted(2, 200);

        Assert.True(outbox.TryTake(out var first, out var firstExpiry));
        Assert.True(outbox.TryTake(out var second, out var secondExpiry));
        Assert.False(outbox.TryTake(out _, out _));
        Assert.Equal(((UInt128)1, 100L, (UInt128)2, 200L), (first, firstExpiry, second, secondExpiry));
    }

    [Fact]
    public void Ids_past_the_pending_limit_should_be_counted_as_dropped_not_queued()
    {
        var outbox = new AuthIdOutbox(AuthIdExchangeSettings.Default with { MaxPendingIds = 2 });
        for (var i = 0; i < 5; i++) outbox.Accepted((UInt128)i, 100);

        Assert.Equal(2, outbox.Pending);
        Assert.Equal(3, outbox.TakeDropped());
        Assert.Equal(0, outbox.TakeDropped());
    }

    [Fact]
    public void Invalid_settings_should_be_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new AuthIdOutbox(AuthIdExchangeSettings.Default with { MaxIdsPerMessage = 0 }));
    }
}
