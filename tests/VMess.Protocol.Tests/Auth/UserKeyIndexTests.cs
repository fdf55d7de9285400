using VMess.Protocol.Auth;
using VMess.Protocol.Crypto;
using VMess.Protocol.Ids;
using VMess.Protocol.Legacy;

namespace VMess.Protocol.Tests.Auth;

public sealed class UserKeyIndexTests
{
    private const int Seed = 1000;
    private const long Now = 1_700_000_000;

    [Fact]
    public void MatchAead_should_find_the_correct_user_among_1000()
    {
        var accounts = RandomAccounts(Seed, 1000);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);
        var expected = accounts[637];

        var match = index.MatchAead(CreateAuthId(expected, Now - 30), Now);

        Assert.True(match.IsMatch, $"{match.Error}, seed {Seed}");
        Assert.Equal(expected, match.User!.Account);
        Assert.Equal(Now - 30, match.Timestamp);
    }

    [Theory]
    [InlineData(121)]
    [InlineData(-121)]
    [InlineData(100_000)]
    public void MatchAead_should_report_ClockSkew_for_a_known_user_outside_the_window(long skew)
    {
        var accounts = RandomAccounts(Seed, 50);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);

        var match = index.MatchAead(CreateAuthId(accounts[7], Now + skew), Now);

        Assert.Equal(DecodeError.ClockSkew, match.Error);
        Assert.False(match.IsMatch);
        Assert.Equal(skew, match.SkewSeconds);
        Assert.Equal(accounts[7], match.User!.Account);
    }

    [Theory]
    [InlineData(120)]
    [InlineData(-120)]
    public void MatchAead_should_match_at_the_edges_of_the_window(long skew)
    {
        var accounts = RandomAccounts(Seed, 5);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);

        var match = index.MatchAead(CreateAuthId(accounts[3], Now + skew), Now);

        Assert.True(match.IsMatch, $"{match.Error}, seed {Seed}");
    }

    [Fact]
    public void MatchAead_should_report_UnknownUser_for_random_bytes()
    {
        var index = new UserKeyIndex();
        index.Replace(RandomAccounts(Seed, 1000), Now);
        var random = new Random(Seed + 1);
        var authId = new byte[AuthId.Size];
        random.NextBytes(authId);

        var match = index.MatchAead(authId, Now);

        Assert.True(match.Error == DecodeError.UnknownUser, $"{match.Error}, seed {Seed + 1}");
        Assert.Null(match.User);
    }

    [Fact]
    public void MatchAead_should_report_UnknownUser_for_an_empty_index()
    {
        var index = new UserKeyIndex();

        Assert.Equal(DecodeError.UnknownUser, index.MatchAead(new byte[AuthId.Size], Now).Error);
    }

    [Fact]
    public void Replace_should_keep_the_key_objects_of_unchanged_users()
    {
        var accounts = RandomAccounts(Seed, 10);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);
        var before = index.MatchAead(CreateAuthId(accounts[2], Now), Now).User;

        index.Replace([.. accounts, .. RandomAccounts(Seed + 2, 3)], Now);
        var after = index.MatchAead(CreateAuthId(accounts[2], Now), Now).User;

        Assert.Equal(13, index.Count);
        Assert.True(ReferenceEquals(before, after), $"seed {Seed}");
    }

    [Fact]
    public void Replace_should_rebuild_the_keys_of_a_changed_user()
    {
        var accounts = RandomAccounts(Seed, 3);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);
        var changed = accounts[1] with { Level = 5 };

        index.Replace([accounts[0], changed, accounts[2]], Now);

        Assert.Equal(changed, index.MatchAead(CreateAuthId(accounts[1], Now), Now).User!.Account);
    }

    [Fact]
    public void Replace_should_drop_users_not_listed()
    {
        var accounts = RandomAccounts(Seed, 3);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);

        index.Replace([accounts[0]], Now);

        Assert.Equal(1, index.Count);
        Assert.Equal(DecodeError.UnknownUser, index.MatchAead(CreateAuthId(accounts[1], Now), Now).Error);
    }

    [Fact]
    public void Remove_should_make_the_user_unknown()
    {
        var accounts = RandomAccounts(Seed, 3);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);

        Assert.True(index.Remove(accounts[1].Id));

        Assert.Equal(2, index.Count);
        Assert.Equal(DecodeError.UnknownUser, index.MatchAead(CreateAuthId(accounts[1], Now), Now).Error);
        Assert.True(index.MatchAead(CreateAuthId(accounts[0], Now), Now).IsMatch);
    }

    [Fact]
    public void Remove_should_return_false_for_an_unknown_user()
    {
        var index = new UserKeyIndex();
        index.Replace(RandomAccounts(Seed, 3), Now);

        Assert.False(index.Remove(VMessUserId.Parse("00000000-0000-0000-0000-000000000001")));
    }

    [Fact]
    public void Add_should_replace_an_account_with_the_same_id()
    {
        var accounts = RandomAccounts(Seed, 3);
        var index = new UserKeyIndex();
        index.Replace(accounts, Now);
        var updated = accounts[0] with { Email = "a@example.com" };

        index.Add(updated, Now);

        Assert.Equal(3, index.Count);
        Assert.Contains(updated, index.Accounts);
    }

    [Fact]
    public void FindLegacy_should_find_only_users_with_alter_ids()
    {
        var aeadOnly = new VMessAccount(VMessUserId.Parse("00000000-0000-0000-0000-000000000001"));
        var legacy = new VMessAccount(VMessUserId.Parse("00000000-0000-0000-0000-000000000002"), AlterId: 2);
        var index = new UserKeyIndex();
        index.Replace([aeadOnly, legacy], Now);

        Assert.Null(index.FindLegacy(LegacyHash(aeadOnly.Id, Now)));
        Assert.Equal(legacy, index.FindLegacy(LegacyHash(legacy.Id, Now))!.User.Account);
    }

    [Fact]
    public void Remove_should_drop_the_users_legacy_entries()
    {
        var legacy = new VMessAccount(VMessUserId.Parse("00000000-0000-0000-0000-000000000002"), AlterId: 2);
        var index = new UserKeyIndex();
        index.Replace([legacy], Now);

        index.Remove(legacy.Id);

        Assert.Null(index.FindLegacy(LegacyHash(legacy.Id, Now)));
        Assert.Equal(0, index.Legacy.EntryCount);
    }

    [Fact]
    public void Replace_should_drop_the_legacy_entries_of_a_dropped_user()
    {
        var legacy = new VMessAccount(VMessUserId.Parse("00000000-0000-0000-0000-000000000002"), AlterId: 2);
        var index = new UserKeyIndex();
        index.Replace([legacy], Now);

        index.Replace([], Now);

        Assert.Null(index.FindLegacy(LegacyHash(legacy.Id, Now)));
    }

    private static VMessAccount[] RandomAccounts(int seed, int count)
    {
        var random = new Random(seed);
        var bytes = new byte[VMessUserId.Size];
        var accounts = new VMessAccount[count];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            accounts[i] = new VMessAccount(VMessUserId.FromBytes(bytes));
        }
        return accounts;
    }

    private static byte[] CreateAuthId(VMessAccount account, long timestamp)
    {
        var authId = new byte[AuthId.Size];
        AuthId.Create(new AuthIdCipher(account.Id.CmdKey()), timestamp, [5, 6, 7, 8], authId);
        return authId;
    }

    private static byte[] LegacyHash(VMessUserId id, long timestamp)
    {
        var hash = new byte[LegacyAuth.Size];
        LegacyAuth.ComputeHash(id, timestamp, hash);
        return hash;
    }
}
