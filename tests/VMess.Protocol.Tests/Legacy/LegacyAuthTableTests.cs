using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Protocol.Legacy;

namespace VMess.Protocol.Tests.Legacy;

public sealed class LegacyAuthTableTests
{
    private const long Now = 1_700_000_000;
    private static readonly VMessAccount Legacy4 = new(VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811"), AlterId: 4);
    private static readonly VMessAccount AeadOnly = new(VMessUserId.Parse("00000000-0000-0000-0000-000000000001"));

    [Fact]
    public void Add_should_create_no_entries_for_an_alterId_0_user()
    {
        var table = new LegacyAuthTable();

        table.Add(new UserKeys(AeadOnly), Now);

        Assert.Equal(0, table.EntryCount);
        Assert.Null(table.Find(Hash(AeadOnly.Id, Now)));
    }

    [Fact]
    public void Find_should_find_every_id_of_an_alterId_4_user_for_every_second_of_the_window()
    {
        var table = new LegacyAuthTable();
        var user = new UserKeys(Legacy4);
        table.Add(user, Now);
        VMessUserId[] ids = [Legacy4.Id, .. AlterIdChain.Derive(Legacy4.Id, 4)];

        foreach (var id in ids)
        {
            for (var ts = Now - TimeWindow.Seconds; ts <= Now + TimeWindow.Seconds; ts++)
            {
                var entry = table.Find(Hash(id, ts));

                Assert.True(entry is not null, $"{id} at now{ts - Now:+0;-0}");
                Assert.Same(user, entry.User);
                Assert.Equal(ts, entry.Timestamp);
            }
        }
    }

    [Fact]
    public void Find_should_not_find_a_second_beyond_the_lookahead()
    {
        var table = new LegacyAuthTable();
        table.Add(new UserKeys(Legacy4), Now);

        Assert.Null(table.Find(Hash(Legacy4.Id, Now + 200)));
        Assert.Null(table.Find(Hash(Legacy4.Id, Now - TimeWindow.Seconds - 1)));
    }

    [Fact]
    public void Find_should_not_find_a_hash_of_a_sixth_alter_id()
    {
        var table = new LegacyAuthTable();
        table.Add(new UserKeys(Legacy4), Now);

        Assert.Null(table.Find(Hash(AlterIdChain.Derive(Legacy4.Id, 5)[4], Now)));
    }

    [Fact]
    public void Refresh_should_extend_the_window_forward()
    {
        var table = new LegacyAuthTable();
        table.Add(new UserKeys(Legacy4), Now);

        table.Refresh(Now + 100);

        Assert.NotNull(table.Find(Hash(Legacy4.Id, Now + 100 + TimeWindow.Seconds)));
        Assert.NotNull(table.Find(Hash(AlterIdChain.Derive(Legacy4.Id, 4)[3], Now + 100 + TimeWindow.Seconds)));
    }

    [Fact]
    public void Refresh_should_drop_seconds_older_than_the_window()
    {
        var table = new LegacyAuthTable();
        table.Add(new UserKeys(Legacy4), Now);

        table.Refresh(Now + 100);

        Assert.Null(table.Find(Hash(Legacy4.Id, Now + 100 - TimeWindow.Seconds - 1)));
        Assert.NotNull(table.Find(Hash(Legacy4.Id, Now + 100 - TimeWindow.Seconds)));
    }

    [Fact]
    public void Refresh_should_keep_the_entry_objects_it_already_had()
    {
        var table = new LegacyAuthTable();
        table.Add(new UserKeys(Legacy4), Now);
        var entry = table.Find(Hash(Legacy4.Id, Now))!;
        entry.Taint();

        table.Refresh(Now + 10);

        Assert.Same(entry, table.Find(Hash(Legacy4.Id, Now)));
        Assert.True(table.Find(Hash(Legacy4.Id, Now))!.IsTainted);
    }

    [Fact]
    public void Refresh_should_cover_the_window_after_a_long_gap()
    {
        var table = new LegacyAuthTable();
        table.Add(new UserKeys(Legacy4), Now);

        table.Refresh(Now + 10_000);

        Assert.NotNull(table.Find(Hash(Legacy4.Id, Now + 10_000 - TimeWindow.Seconds)));
        Assert.NotNull(table.Find(Hash(Legacy4.Id, Now + 10_000 + TimeWindow.Seconds)));
        Assert.Null(table.Find(Hash(Legacy4.Id, Now)));
    }

    [Fact]
    public void Remove_should_clear_the_users_entries()
    {
        var table = new LegacyAuthTable();
        var other = new VMessAccount(VMessUserId.Parse("00000000-0000-0000-0000-000000000002"), AlterId: 1);
        table.Add(new UserKeys(Legacy4), Now);
        table.Add(new UserKeys(other), Now);

        table.Remove(Legacy4.Id);

        Assert.Null(table.Find(Hash(Legacy4.Id, Now)));
        Assert.NotNull(table.Find(Hash(other.Id, Now)));
        Assert.Equal(2 * (2 * TimeWindow.Seconds + LegacyAuthTable.LookaheadSeconds + 1), table.EntryCount);
    }

    [Fact]
    public void Refresh_should_not_regenerate_a_removed_user()
    {
        var table = new LegacyAuthTable();
        table.Add(new UserKeys(Legacy4), Now);
        table.Remove(Legacy4.Id);

        table.Refresh(Now + 100);

        Assert.Equal(0, table.EntryCount);
    }

    private static byte[] Hash(VMessUserId id, long timestamp)
    {
        var hash = new byte[LegacyAuth.Size];
        LegacyAuth.ComputeHash(id, timestamp, hash);
        return hash;
    }
}
