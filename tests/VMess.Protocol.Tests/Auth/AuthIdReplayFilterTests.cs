using System.Buffers.Binary;
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

    [Fact]
    public void TryAccept_should_tell_the_listener_the_accepted_id_and_its_expiry()
    {
        var listener = new RecordingListener();
        var filter = new AuthIdReplayFilter(listener);
        var authId = AuthIdBytes(5);

        filter.TryAccept(authId, Now - 10, Now);

        var (id, expiresAt) = Assert.Single(listener.Accepted);
        Assert.Equal(BinaryPrimitives.ReadUInt128BigEndian(authId), id);
        Assert.Equal(Now + TimeWindow.Seconds + 1, expiresAt);
    }

    [Fact]
    public void TryAccept_should_not_tell_the_listener_of_a_refused_replay()
    {
        var listener = new RecordingListener();
        var filter = new AuthIdReplayFilter(listener);
        var authId = AuthIdBytes(6);
        filter.TryAccept(authId, Now, Now);

        filter.TryAccept(authId, Now, Now + 1);

        Assert.Single(listener.Accepted);
    }

    [Fact]
    public void Remember_should_make_TryAccept_refuse_the_id_until_its_expiry()
    {
        var filter = new AuthIdReplayFilter();
        var authId = AuthIdBytes(7);

        filter.Remember(BinaryPrimitives.ReadUInt128BigEndian(authId), expiresAt: Now + 30, now: Now);

        Assert.False(filter.TryAccept(authId, Now, Now + 29));
        Assert.True(filter.TryAccept(authId, Now + 30, Now + 30));
    }

    [Fact]
    public void Remember_should_not_tell_the_listener()
    {
        var listener = new RecordingListener();
        var filter = new AuthIdReplayFilter(listener);

        filter.Remember(BinaryPrimitives.ReadUInt128BigEndian(AuthIdBytes(8)), Now + 30, Now);

        Assert.Empty(listener.Accepted);
    }

    [Fact]
    public void Remember_should_keep_the_later_expiry_of_an_id_already_remembered()
    {
        var filter = new AuthIdReplayFilter();
        var authId = AuthIdBytes(9);
        filter.TryAccept(authId, Now, Now);

        filter.Remember(BinaryPrimitives.ReadUInt128BigEndian(authId), expiresAt: Now + 5, now: Now);

        Assert.True(filter.Contains(authId, Now + TimeWindow.Seconds));
    }

    [Fact]
    public void Remember_should_ignore_an_id_that_has_expired_already()
    {
        var filter = new AuthIdReplayFilter();
        var authId = AuthIdBytes(10);

        filter.Remember(BinaryPrimitives.ReadUInt128BigEndian(authId), expiresAt: Now, now: Now);

        Assert.Equal(0, filter.Count);
    }

    private sealed class RecordingListener : IAcceptedAuthIdListener
    {
        public List<(UInt128 Id, long ExpiresAt)> Accepted { get; } = [];

        void IAcceptedAuthIdListener.Accepted(UInt128 authId, long expiresAt) => Accepted.Add((authId, expiresAt));
    }

    private static byte[] AuthIdBytes(byte marker)
    {
        var bytes = new byte[16];
        bytes[0] = marker;
        bytes[15] = 0xA5;
        return bytes;
    }
}
