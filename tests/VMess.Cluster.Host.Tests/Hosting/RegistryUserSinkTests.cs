using VMess.Cluster.Host.Hosting;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Registry.ReadModel;
using VMess.Relay.Online;

namespace VMess.Cluster.Host.Tests.Hosting;

/// <summary>
/// The inbounds' users from the registry, with the node's own config users until the registry holds them; after each
/// swap, the live connections of users no longer held are closed (a connection's close is a recorded reason here).
/// </summary>
public sealed class RegistryUserSinkTests
{
    private static readonly VMessAccount Own = new(VMessUserId.Parse("5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0011"), 0, 0, "own@example.com");
    private static readonly VMessAccount Other = new(VMessUserId.Parse("5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c0012"), 0, 0, "other@example.com");

    [Fact]
    public void A_directory_without_the_nodes_own_users_should_be_published_with_them()
    {
        var index = new UserKeyIndex();
        var sink = new RegistryUserSink([index], [Own], TimeProvider.System);

        sink.Publish(new UserDirectory(1, [Other], 0));

        Assert.Equal(["other@example.com", "own@example.com"], index.Accounts.Select(a => a.Email).Order());
        Assert.True(sink.OverlayActive);
    }

    [Fact]
    public void Once_a_directory_holds_the_nodes_own_users_the_registry_alone_should_decide()
    {
        var index = new UserKeyIndex();
        var sink = new RegistryUserSink([index], [Own], TimeProvider.System);
        sink.Publish(new UserDirectory(1, [Own, Other], 0));

        sink.Publish(new UserDirectory(2, [Other], 0));

        Assert.False(sink.OverlayActive);
        Assert.Equal(["other@example.com"], index.Accounts.Select(a => a.Email));
    }

    [Fact]
    public void Every_index_should_get_the_same_users()
    {
        var indices = new[] { new UserKeyIndex(), new UserKeyIndex() };
        var sink = new RegistryUserSink(indices, [], TimeProvider.System);

        sink.Publish(new UserDirectory(1, [Other], 0));

        Assert.All(indices, index => Assert.Equal([Other], index.Accounts));
        Assert.Equal(1, sink.LastVersion);
    }

    [Fact]
    public void A_config_user_dropped_by_a_reload_should_leave_the_overlay_at_once_though_the_registry_never_held_it()
    {
        var index = new UserKeyIndex();
        var sink = new RegistryUserSink([index], [Own, Other], TimeProvider.System);
        sink.Publish(new UserDirectory(1, [], 0));

        sink.RetainOverlay(new HashSet<string> { "own@example.com" });

        Assert.Equal([Own], index.Accounts);
        Assert.True(sink.OverlayActive);
    }

    [Fact]
    public void A_reload_that_keeps_every_overlay_user_should_change_nothing()
    {
        var index = new UserKeyIndex();
        var sink = new RegistryUserSink([index], [Own], TimeProvider.System);
        sink.Publish(new UserDirectory(1, [Other], 0));

        sink.RetainOverlay(new HashSet<string> { "own@example.com", "new@example.com" });

        Assert.Equal(["other@example.com", "own@example.com"], index.Accounts.Select(a => a.Email).Order());
    }

    [Fact]
    public void A_config_user_kept_by_the_overlay_should_keep_its_connections()
    {
        var live = new LiveConnections();
        var closed = new List<string>();
        var sink = new RegistryUserSink([new UserKeyIndex()], [Own], TimeProvider.System, live);
        live.Register(Own, null, closed.Add);

        sink.Publish(new UserDirectory(1, [Other], 0));

        Assert.True(sink.OverlayActive);
        Assert.Empty(closed);
    }

    [Fact]
    public void A_user_removed_from_the_registry_should_have_its_connections_closed()
    {
        var live = new LiveConnections();
        var closed = new List<string>();
        var sink = new RegistryUserSink([new UserKeyIndex()], [Own], TimeProvider.System, live);
        sink.Publish(new UserDirectory(1, [Own, Other], 0));
        live.Register(Own, null, closed.Add);

        sink.Publish(new UserDirectory(2, [Other], 0));

        Assert.Equal(["user removed"], closed);
    }

    [Fact]
    public void A_user_disabled_in_the_registry_should_have_its_connections_closed_as_disabled()
    {
        var live = new LiveConnections();
        var closed = new List<string>();
        var sink = new RegistryUserSink([new UserKeyIndex()], [], TimeProvider.System, live);
        live.Register(Other, null, closed.Add);

        sink.Publish(new UserDirectory(1, [Own], 1) { DisabledKeys = new HashSet<string> { "other@example.com" } });

        Assert.Equal(["user disabled"], closed);
    }
}
