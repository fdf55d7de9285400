using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Relay.Inbound;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Inbound;

/// <summary>The SwitchAccount a VMess inbound with detour answers: the target's port, and its user for the request's email.</summary>
public sealed class DetourSwitchTests : IDisposable
{
    private const int First = 21000;
    private static readonly VMessDefaultUser Defaults = new(Level: 3, AlterId: 8);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly List<InboundPorts> _ports = [];

    [Fact]
    public void Command_should_name_a_current_port_of_the_target_and_a_new_user_with_its_default_level_and_alterId()
    {
        var (detour, users, ports) = Detour(RandomPorts(refreshMinutes: 5));
        _clock.Advance(TimeSpan.FromSeconds(150));

        var command = detour.CommandFor("a@test")!;

        Assert.Null(command.Host);
        Assert.Contains(command.Port, ports.Ports);
        Assert.Equal(Defaults.AlterId, command.AlterIds);
        Assert.Equal(Defaults.Level, command.Level);
        Assert.Equal(3, command.ValidMinutes);
        Assert.Contains(users.Accounts, a => a.Id == command.Id && a.Email == "a@test" && a.AlterId == 8 && a.Level == 3);
    }

    [Fact]
    public void User_should_be_made_once_per_email_ignoring_case()
    {
        var (detour, users, _) = Detour(RandomPorts());

        var first = detour.CommandFor("Someone@Test")!;
        var second = detour.CommandFor("someone@test")!;

        Assert.Equal(first.Id, second.Id);
        Assert.Single(users.Accounts);
        Assert.Equal("someone@test", users.Accounts[0].Email);
    }

    [Fact]
    public void User_should_be_the_targets_client_with_that_email_when_it_has_one()
    {
        var client = new VMessAccount(VMessUserId.NewRandom(), AlterId: 0, Level: 1, Email: "Known@Test");
        var (detour, users, _) = Detour(RandomPorts(), client);

        var command = detour.CommandFor("known@test")!;

        Assert.Equal(client.Id, command.Id);
        Assert.Equal(1, command.Level);
        Assert.Equal(0, command.AlterIds);
        Assert.Single(users.Accounts);
    }

    [Fact]
    public void Users_without_an_email_should_share_one_derived_user()
    {
        var (detour, users, _) = Detour(RandomPorts());

        var first = detour.CommandFor((string?)null)!;
        var second = detour.CommandFor("")!;
        var other = detour.CommandFor("x@test")!;

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(2, users.Count);
    }

    [Fact]
    public void Derived_ids_should_be_version_4_uuids()
    {
        var (detour, _, _) = Detour(RandomPorts());

        var id = detour.CommandFor("a@test")!.Id.ToString();

        Assert.Equal('4', id[14]);
        Assert.Contains(id[19], "89ab");
    }

    [Fact]
    public void Valid_minutes_should_be_capped_at_255_for_ports_that_never_rotate()
    {
        var (detour, _, _) = Detour(new InboundOptions("target", IPAddress.Loopback, First, InboundProtocol.VMess, null));

        Assert.Equal(255, detour.CommandFor("a@test")!.ValidMinutes);
    }

    public void Dispose()
    {
        foreach (var ports in _ports) ports.Dispose();
    }

    private static InboundOptions RandomPorts(int refreshMinutes = 2) =>
        new("target", IPAddress.Loopback, First, InboundProtocol.VMess, null)
        {
            PortTo = First + 9,
            Allocate = new PortAllocation(PortAllocationStrategy.Random, TimeSpan.FromMinutes(refreshMinutes), 2),
        };

    private (DetourSwitch Detour, UserKeyIndex Users, InboundPorts Ports) Detour(InboundOptions target, params VMessAccount[] clients)
    {
        var settings = new VMessInboundSettings([.. clients], Defaults, DetourTo: null, DisableInsecureEncryption: false);
        var users = InboundSetup.CreateUsers(settings, _clock);
        var random = new SeededRandomSource(11);
        // The target's ports are bound on ports the OS picks: only their numbers matter here.
        var ports = InboundPorts.Bind(target, e => InboundListenerActor.Bind(new IPEndPoint(e.Address, 0), 4), _clock, random);
        _ports.Add(ports);
        return (new DetourSwitch(settings, users, ports, _clock, random), users, ports);
    }
}
