namespace VMess.ProxyProtocols.Tests;

public sealed class ProxyAccountsTests
{
    [Fact]
    public void Accepts_should_match_user_and_password_exactly()
    {
        var accounts = new ProxyAccounts([("alice", "secret")]);

        Assert.True(accounts.Accepts("alice", "secret"));
        Assert.False(accounts.Accepts("alice", "Secret"));
        Assert.False(accounts.Accepts("Alice", "secret"));
        Assert.False(accounts.Accepts("bob", "secret"));
    }

    [Fact]
    public void A_repeated_user_should_keep_the_last_password_as_V2Ray_does()
    {
        var accounts = new ProxyAccounts([("alice", "first"), ("alice", "second")]);

        Assert.Equal(1, accounts.Count);
        Assert.True(accounts.Accepts("alice", "second"));
        Assert.False(accounts.Accepts("alice", "first"));
    }

    [Fact]
    public void None_should_accept_nobody()
    {
        Assert.True(ProxyAccounts.None.IsEmpty);
        Assert.False(ProxyAccounts.None.Accepts("", ""));
    }
}
