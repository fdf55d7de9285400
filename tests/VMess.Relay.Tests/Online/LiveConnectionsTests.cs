using System.Collections.Concurrent;
using System.Net;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.Online;
using VMess.Registry.ReadModel;
using VMess.Relay.Online;

namespace VMess.Relay.Tests.Online;

/// <summary>The node's registry of live connections, without sockets: each connection's close is a recorded reason.</summary>
public sealed class LiveConnectionsTests
{
    private static readonly VMessAccount Alice = new(VMessUserId.NewRandom(), 0, 0, "Alice@Example.com");
    private static readonly VMessAccount Bob = new(VMessUserId.NewRandom(), 0, 0, "bob@example.com");
    private static readonly IPAddress Home = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Office = IPAddress.Parse("198.51.100.7");

    private readonly LiveConnections _live = new();
    private readonly ConcurrentDictionary<string, string> _closed = new();

    [Fact]
    public void Register_should_count_the_connection_under_the_users_registry_key()
    {
        Open("a1", Alice, Home);
        Open("a2", Alice, Office);

        Assert.Equal(2, _live.CountOf("alice@example.com"));
        Assert.Equal(2, _live.Count);
    }

    [Fact]
    public void Dispose_should_unregister_the_connection()
    {
        var connection = Open("a1", Alice, Home);

        connection.Dispose();

        Assert.Equal(0, _live.CountOf("alice@example.com"));
        Assert.Equal(0, _live.Count);
        Assert.Null(_live.Describe("alice@example.com"));
    }

    [Fact]
    public void Describe_should_count_the_connections_of_each_source_ip()
    {
        Open("a1", Alice, Home);
        Open("a2", Alice, Home);
        Open("a3", Alice, IPAddress.Parse("::ffff:198.51.100.7"));

        var user = _live.Describe("alice@example.com");

        Assert.NotNull(user);
        Assert.Equal("Alice@Example.com", user.Email);
        Assert.Equal(3, user.Connections);
        Assert.Equal(new Dictionary<string, int> { ["192.0.2.1"] = 2, ["198.51.100.7"] = 1 }, user.SourceIps);
    }

    [Fact]
    public void TakeChangedUsers_should_return_each_user_whose_connections_changed_once()
    {
        var a1 = Open("a1", Alice, Home);
        Open("b1", Bob, Home);
        a1.Dispose();

        Assert.Equal(["alice@example.com", "bob@example.com"], _live.TakeChangedUsers().Order());
        Assert.Empty(_live.TakeChangedUsers());
        Open("b2", Bob, Office);
        Assert.Equal(["bob@example.com"], _live.TakeChangedUsers());
    }

    [Fact]
    public void CloseUnserved_should_close_the_connections_of_a_removed_user_only()
    {
        Open("a1", Alice, Home);
        Open("a2", Alice, Office);
        Open("b1", Bob, Home);

        var closed = _live.CloseUnserved([Bob]);

        Assert.Equal(2, closed);
        Assert.Equal(new Dictionary<string, string> { ["a1"] = "user removed", ["a2"] = "user removed" }, _closed);
    }

    [Fact]
    public void CloseUnserved_should_say_disabled_for_a_user_the_registry_holds_disabled()
    {
        Open("a1", Alice, Home);

        _live.CloseUnserved([Bob], new UserDirectory(1, [Bob], 1) { DisabledKeys = new HashSet<string> { "alice@example.com" } });

        Assert.Equal("user disabled", _closed["a1"]);
    }

    [Fact]
    public void CloseUnserved_should_close_a_connection_whose_users_id_changed()
    {
        Open("a1", Alice, Home);

        _live.CloseUnserved([Alice with { Id = VMessUserId.NewRandom() }]);

        Assert.Equal("user's id changed", _closed["a1"]);
    }

    [Fact]
    public void CloseUnserved_should_close_a_connection_whose_users_alterId_changed()
    {
        Open("a1", Alice, Home);

        _live.CloseUnserved([Alice with { AlterId = 4 }]);

        Assert.Equal("user's alterId changed", _closed["a1"]);
    }

    [Fact]
    public void CloseUnserved_should_keep_a_user_served_under_another_level_or_email_case()
    {
        Open("a1", Alice, Home);

        var closed = _live.CloseUnserved([Alice with { Level = 1, Email = "alice@example.com" }]);

        Assert.Equal(0, closed);
        Assert.Empty(_closed);
    }

    [Fact]
    public void CloseUnserved_should_ask_a_connection_to_close_only_once()
    {
        Open("a1", Alice, Home);
        _live.CloseUnserved([]);
        _closed.Clear();

        var closed = _live.CloseUnserved([]);

        Assert.Equal(0, closed);
        Assert.Empty(_closed);
    }

    [Fact]
    public void A_connection_registered_after_a_publication_without_its_user_should_be_closed_at_once()
    {
        // The handshake matched the user in the index just before the swap; its actor registers after the scan.
        _live.CloseUnserved([Bob]);

        Open("a1", Alice, Home);
        Open("b1", Bob, Home);

        Assert.Equal(new Dictionary<string, string> { ["a1"] = "user removed" }, _closed);
    }

    [Fact]
    public void Before_any_publication_every_connection_should_be_kept()
    {
        Open("a1", Alice, Home);

        Assert.Empty(_closed);
    }

    [Fact]
    public void Connections_registered_and_disposed_from_many_threads_should_all_be_counted_out()
    {
        Parallel.For(0, 2000, i =>
        {
            using var connection = Open($"c{i}", i % 2 == 0 ? Alice : Bob, Home);
        });

        Assert.Equal(0, _live.Count);
        Assert.Equal(0, _live.CountOf("alice@example.com"));
        Assert.Null(_live.Describe("bob@example.com"));
    }

    [Fact]
    public void CloseUnserved_should_say_why_a_suspended_user_is_refused()
    {
        Open("a1", Alice, Home);

        _live.CloseUnserved([Bob], new UserDirectory(1, [Bob], 0)
        {
            SuspendedKeys = new Dictionary<string, UserSuspension> { ["alice@example.com"] = UserSuspension.QuotaUsedUp },
        });

        Assert.Equal("user's traffic quota used up", _closed["a1"]);
    }

    [Fact]
    public void A_connection_over_its_users_connection_limit_should_be_closed_as_it_registers()
    {
        _live.CloseUnserved([Alice], Limited(new UserLimits(MaxConnections: 1)));
        Open("a1", Alice, Home);

        Open("a2", Alice, Office);

        Assert.Equal(new Dictionary<string, string> { ["a2"] = "user's connection limit (1) reached" }, _closed);
    }

    [Fact]
    public void Lowering_a_connection_limit_should_close_the_newest_connections()
    {
        _live.CloseUnserved([Alice]);
        Open("a1", Alice, Home);
        Open("a2", Alice, Home);
        Open("a3", Alice, Home);

        var closed = _live.CloseUnserved([Alice], Limited(new UserLimits(MaxConnections: 1)));

        Assert.Equal(2, closed);
        Assert.Equal(["a2", "a3"], _closed.Keys.Order());
    }

    [Fact]
    public void A_local_connection_should_close_once_another_member_shows_an_older_one()
    {
        var cluster = new FakeClusterConnections("node-b");
        _live.WatchCluster(cluster);
        _live.CloseUnserved([Alice], Limited(new UserLimits(MaxConnections: 1)));
        Open("a1", Alice, Home);

        cluster.Publish("node-a", new OnlineUser("alice@example.com", 1, new Dictionary<string, int>()) { OldestOpenedAt = [DateTime.UtcNow.Ticks - TimeSpan.TicksPerSecond] });

        Assert.Equal(new Dictionary<string, string> { ["a1"] = "user's connection limit (1) reached" }, _closed);
    }

    [Fact]
    public void Connections_from_a_source_ip_over_the_limit_should_close()
    {
        _live.CloseUnserved([Alice], Limited(new UserLimits(MaxSourceIps: 1)));
        Open("a1", Alice, Home);
        Open("a2", Alice, Home);

        Open("a3", Alice, Office);

        Assert.Equal(new Dictionary<string, string> { ["a3"] = "user's source IP limit (1) reached (198.51.100.7)" }, _closed);
    }

    [Fact]
    public void A_limited_user_should_publish_the_open_times_its_limits_are_weighed_by()
    {
        _live.CloseUnserved([Alice, Bob], Limited(new UserLimits(MaxConnections: 1, MaxSourceIps: 1)));
        var a1 = Open("a1", Alice, Home);
        Open("b1", Bob, Home);

        var online = _live.Describe("alice@example.com")!;

        Assert.Equal([a1.OpenedAt], online.OldestOpenedAt);
        Assert.Equal(new Dictionary<string, long> { ["192.0.2.1"] = a1.OpenedAt }, online.FirstOpenedAtByIp);
        // Bob has no limits: his entry carries his connections, and no open times.
        Assert.Empty(_live.Describe("bob@example.com")!.OldestOpenedAt);
    }

    private static UserDirectory Limited(UserLimits limits) =>
        new(1, [Alice], 0) { ConnectionLimits = new Dictionary<string, UserLimits> { ["alice@example.com"] = limits } };

    private sealed class FakeClusterConnections(string self) : IClusterConnections
    {
        private readonly Dictionary<string, OnlineUser> _byMember = new();

        public string SelfMember => self;

        public event Action? Changed;

        public IReadOnlyList<MemberConnections> OthersOf(string userKey) =>
            _byMember.Select(p => new MemberConnections(p.Key, p.Value)).ToArray();

        public void Publish(string member, OnlineUser user)
        {
            _byMember[member] = user;
            Changed?.Invoke();
        }
    }

    private LiveConnection Open(string name, VMessAccount account, IPAddress source) =>
        _live.Register(account, source, reason => Assert.True(_closed.TryAdd(name, reason), $"{name} closed twice"));
}
