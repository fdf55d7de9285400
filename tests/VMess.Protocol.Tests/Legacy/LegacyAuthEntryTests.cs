using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Protocol.Legacy;

namespace VMess.Protocol.Tests.Legacy;

public sealed class LegacyAuthEntryTests
{
    private static readonly UserKeys User = new(new VMessAccount(VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811"), AlterId: 1));

    [Fact]
    public void Entry_should_start_untainted()
    {
        Assert.False(new LegacyAuthEntry(User, 1).IsTainted);
    }

    [Fact]
    public void Taint_should_succeed_only_the_first_time()
    {
        var entry = new LegacyAuthEntry(User, 1);

        Assert.True(entry.Taint());
        Assert.False(entry.Taint());
        Assert.True(entry.IsTainted);
    }
}
