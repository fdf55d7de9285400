using VMess.Protocol.Auth;

namespace VMess.Protocol.Tests.Auth;

public sealed class AuthIdReplayFilterTests
{
    private const int Seed = 100_000;
    private const long Now = 1_700_000_000;

    [Fact]
    public void TryAccept_should_refuse_a_replayed_auth_id()
    {
        var filter = new AuthIdReplayFilter();
        var authId = AuthIdBytes(1);
        filter.TryAccept(authId, Now, Now);

        Assert.False(filter.TryAccept(authId, Now, Now + 60));
    }

    [Fact]
    public void TryAccept_should_refuse_a_replay_while_its_timestamp_is_in_the_window()
    {
        var filter = new AuthIdReplayFilter();
        var authId = AuthIdBytes(2);
        filter.TryAccept(authId, Now, Now);

        Assert.False(filter.TryAccept(authId, Now, Now + TimeWindow.Seconds));
    }

    [Fact]
    public void TryAccept_should_accept_the_auth_id_again_once_its_timestamp_left_the_window()
    {
        var filter = new AuthIdReplayFilter();
        var authId = AuthIdBytes(3);
        filter.TryAccept(authId, Now, Now);

        Assert.True(filter.TryAccept(authId, Now, Now + TimeWindow.Seconds + 1));
    }

    [Fact]
    public void TryAccept_should_remember_an_auth_id_from_a_fast_clock_until_its_own_timestamp_expires()
    {
        var filter = new AuthIdReplayFilter();
        var authId = AuthIdBytes(4);
        var timestamp = Now + TimeWindow.Seconds;
        filter.TryAccept(authId, timestamp, Now);

        Assert.False(filter.TryAccept(authId, timestamp, timestamp + TimeWindow.Seconds));
    }

    [Fact]
    public void TryAccept_should_have_no_false_positives_over_100k_random_ids()
    {
        var filter = new AuthIdReplayFilter();
        var random = new Random(Seed);
        var distinct = new HashSet<UInt128>();
        var authId = new byte[16];
        var refused = 0;
        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(authId);
            if (!distinct.Add(new UInt128(BitConverter.ToUInt64(authId, 0), BitConverter.ToUInt64(authId, 8)))) continue;
            if (!filter.TryAccept(authId, Now, Now + i / 1000)) refused++;
        }

        Assert.True(refused == 0, $"{refused} fresh ids refused, seed {Seed}");
        Assert.Equal(distinct.Count, filter.Count);
    }

    private static byte[] AuthIdBytes(byte marker)
    {
        var bytes = new byte[16];
        bytes[0] = marker;
        bytes[15] = 0xA5;
        return bytes;
    }
}
