using Microsoft.Extensions.Time.Testing;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Relay.Outbound;

namespace VMess.Relay.Tests.Outbound;

/// <summary>
/// The VMess outbound's server list as V2Ray 4.34's picker keeps it: configured servers round robin, servers a
/// SwitchAccount announced appended until they expire, expired ones dropped when reached.
/// </summary>
public sealed class VMessServerListTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Announced_server_should_take_the_origins_address_the_announced_port_and_account_until_valid_minutes_from_now()
    {
        var outbound = Outbound(out var origin);
        var command = Switch(port: 40001, alterIds: 4, level: 2, validMinutes: 3);

        outbound.AddAnnouncedServer(origin, command);

        var announced = outbound.Servers.Servers[1];
        Assert.Equal(("10.0.0.1", 40001), (announced.Server.Address, announced.Server.Port));
        var user = Assert.Single(announced.Users);
        Assert.Equal(new VMessOutboundUser(command.Id, 4, SecurityType.Legacy, 2, null), user.User);
        Assert.Equal(SecurityType.Legacy, user.Account.Security);
        Assert.False(user.Account.UsesAeadHeader);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(3), announced.ValidUntil);
    }

    [Fact]
    public void Announced_server_should_take_the_announced_host_when_there_is_one()
    {
        var outbound = Outbound(out var origin);

        outbound.AddAnnouncedServer(origin, Switch(port: 40001) with { Host = "detour.example" });

        Assert.Equal("detour.example", outbound.Servers.Servers[1].Server.Address);
    }

    [Fact]
    public void Picks_should_follow_V2Rays_round_robin_when_every_response_of_the_origin_announces_a_server()
    {
        // As a v2ray client against a detour server: each connection to the origin appends one more announced entry.
        var outbound = Outbound(out var origin);
        var command = Switch(port: 40001);
        var picked = new List<int>();

        for (var i = 0; i < 10; i++)
        {
            var server = outbound.Servers.Pick().Server;
            picked.Add(server.Port);
            if (server == origin) outbound.AddAnnouncedServer(origin, command);
        }

        Assert.Equal([10086, 10086, 40001, 40001, 10086, 40001, 40001, 40001, 10086, 40001], picked);
    }

    [Fact]
    public void Expired_server_should_be_dropped_when_reached_and_the_last_one_moved_into_its_place()
    {
        var outbound = Outbound(out var origin);
        outbound.AddAnnouncedServer(origin, Switch(port: 40001, validMinutes: 1));
        outbound.AddAnnouncedServer(origin, Switch(port: 40002, validMinutes: 5));
        outbound.AddAnnouncedServer(origin, Switch(port: 40003, validMinutes: 5));
        Assert.Equal(10086, outbound.Servers.Pick().Server.Port);

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal([40003, 40002, 10086, 40003], Enumerable.Range(0, 4).Select(_ => outbound.Servers.Pick().Server.Port));
        Assert.Equal(3, outbound.Servers.Count);
    }

    [Fact]
    public void Configured_servers_should_be_all_that_is_left_once_announced_ones_expire()
    {
        var outbound = Outbound(out var origin);
        outbound.AddAnnouncedServer(origin, Switch(port: 40001, validMinutes: 2));
        outbound.AddAnnouncedServer(origin, Switch(port: 40002, validMinutes: 2));

        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.All(Enumerable.Range(0, 4).Select(_ => outbound.Servers.Pick().Server.Port), port => Assert.Equal(10086, port));
        Assert.Equal(1, outbound.Servers.Count);
    }

    [Fact]
    public void Announced_server_with_alterId_0_should_be_dialled_with_AEAD_headers()
    {
        var outbound = Outbound(out var origin);

        outbound.AddAnnouncedServer(origin, Switch(port: 40001, alterIds: 0));

        Assert.True(outbound.Servers.Servers[1].Users[0].Account.UsesAeadHeader);
    }

    private VMessOutbound Outbound(out VMessServer origin)
    {
        origin = new VMessServer("10.0.0.1", 10086, [new VMessOutboundUser(VMessUserId.NewRandom(), 0, SecurityType.Aes128Gcm, 0, null)]);
        return new VMessOutbound("proxy", new VMessOutboundSettings([origin]), TimeSpan.FromSeconds(1), _clock, CryptoRandomSource.Instance);
    }

    private static SwitchAccountCommand Switch(int port, ushort alterIds = 0, byte level = 0, byte validMinutes = 5) =>
        new(null, (ushort)port, VMessUserId.NewRandom(), alterIds, level, validMinutes);
}
