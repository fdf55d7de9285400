using VMess.Protocol.Auth;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Tests.Auth;

public sealed class SessionHistoryTests
{
    private const long Now = 1_700_000_000;
    private static readonly VMessUserId User = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");
    private static readonly VMessUserId OtherUser = VMessUserId.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly byte[] Key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] Iv = Enumerable.Range(16, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void TryAdd_should_refuse_the_same_session_within_retention()
    {
        var history = new SessionHistory();
        history.TryAdd(User, Key, Iv, Now);

        Assert.False(history.TryAdd(User, Key, Iv, Now + SessionHistory.RetentionSeconds - 1));
    }

    [Fact]
    public void TryAdd_should_accept_the_same_session_after_retention()
    {
        var history = new SessionHistory();
        history.TryAdd(User, Key, Iv, Now);

        Assert.True(history.TryAdd(User, Key, Iv, Now + SessionHistory.RetentionSeconds));
    }

    [Fact]
    public void TryAdd_should_accept_sessions_differing_in_user_key_or_iv()
    {
        var history = new SessionHistory();
        history.TryAdd(User, Key, Iv, Now);

        Assert.True(history.TryAdd(OtherUser, Key, Iv, Now));
        Assert.True(history.TryAdd(User, Iv, Iv, Now));
        Assert.True(history.TryAdd(User, Key, Key, Now));
    }
}
