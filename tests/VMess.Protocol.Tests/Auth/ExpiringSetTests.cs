using VMess.Protocol.Auth;

namespace VMess.Protocol.Tests.Auth;

public sealed class ExpiringSetTests
{
    [Fact]
    public void TryAdd_should_accept_a_new_key()
    {
        var set = new ExpiringSet<int>();

        Assert.True(set.TryAdd(1, expiresAt: 200, now: 100));
    }

    [Fact]
    public void TryAdd_should_refuse_a_live_key()
    {
        var set = new ExpiringSet<int>();
        set.TryAdd(1, expiresAt: 200, now: 100);

        Assert.False(set.TryAdd(1, expiresAt: 300, now: 199));
    }

    [Fact]
    public void TryAdd_should_accept_a_key_again_from_its_expiry_time()
    {
        var set = new ExpiringSet<int>();
        set.TryAdd(1, expiresAt: 200, now: 100);

        Assert.True(set.TryAdd(1, expiresAt: 300, now: 200));
    }

    [Fact]
    public void TryAdd_should_not_extend_the_expiry_of_a_refused_key()
    {
        var set = new ExpiringSet<int>();
        set.TryAdd(1, expiresAt: 200, now: 100);
        set.TryAdd(1, expiresAt: 500, now: 150);

        Assert.False(set.Contains(1, now: 200));
    }

    [Fact]
    public void Contains_should_be_true_only_before_the_expiry_time()
    {
        var set = new ExpiringSet<int>();
        set.TryAdd(1, expiresAt: 200, now: 100);

        Assert.True(set.Contains(1, now: 199));
        Assert.False(set.Contains(1, now: 200));
        Assert.False(set.Contains(2, now: 100));
    }

    [Fact]
    public void Count_should_drop_expired_entries_at_the_next_sweep()
    {
        var set = new ExpiringSet<int>(sweepIntervalSeconds: 30);
        set.TryAdd(1, expiresAt: 10, now: 0);
        set.TryAdd(2, expiresAt: 100, now: 5);
        Assert.Equal(2, set.Count);

        set.TryAdd(3, expiresAt: 100, now: 30);

        Assert.Equal(2, set.Count);
        Assert.False(set.Contains(1, now: 30));
    }

    [Fact]
    public void Remember_should_add_a_key_that_TryAdd_then_refuses()
    {
        var set = new ExpiringSet<int>();
        set.Remember(1, expiresAt: 200, now: 100);

        Assert.False(set.TryAdd(1, expiresAt: 300, now: 199));
    }

    [Fact]
    public void Remember_should_extend_a_live_key_to_the_later_expiry()
    {
        var set = new ExpiringSet<int>();
        set.TryAdd(1, expiresAt: 200, now: 100);
        set.Remember(1, expiresAt: 500, now: 150);

        Assert.True(set.Contains(1, now: 499));
    }
}
