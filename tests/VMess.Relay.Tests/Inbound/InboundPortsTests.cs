using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Event;
using Microsoft.Extensions.Time.Testing;
using VMess.Configuration.Options;
using VMess.Relay.Inbound;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Inbound;

/// <summary>
/// Port allocation and rotation of an inbound, on a fake clock. Every requested port of the range is really bound on
/// a port the OS picks, so tests never collide with other listeners; the test connects to that stand-in.
/// </summary>
public sealed class InboundPortsTests : IDisposable
{
    private const int First = 20000;
    private const int Last = 20019;
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentDictionary<int, IPEndPoint> _standIns = new();
    private readonly ConcurrentQueue<Socket> _accepted = new();
    private readonly List<InboundPorts> _ports = [];

    [Fact]
    public void Random_allocation_should_listen_on_concurrency_distinct_ports_of_the_range()
    {
        var ports = Start(Random(concurrency: 3));

        Assert.Equal(3, ports.Ports.Length);
        Assert.Equal(3, ports.Ports.Distinct().Count());
        Assert.All(ports.Ports, p => Assert.InRange(p, First, Last));
        Assert.Equal(ports.Ports.ToArray(), ports.ListeningPorts.ToArray());
    }

    [Fact]
    public void Rotation_should_open_new_ports_after_refresh_and_keep_the_replaced_ones_accepting()
    {
        var ports = Start(Random(concurrency: 3));
        var first = ports.Ports;

        _clock.Advance(Refresh);

        Assert.Equal(3, ports.Ports.Length);
        Assert.Empty(ports.Ports.Intersect(first));
        Assert.Equal(first.Concat(ports.Ports).Order(), ports.ListeningPorts.ToArray());
        Assert.Equal(_clock.GetUtcNow(), ports.GenerationOpened);
    }

    [Fact]
    public async Task Replaced_ports_should_stop_accepting_at_the_rotation_after_next()
    {
        var ports = Start(Random(concurrency: 2));
        var firstListener = _standIns[ports.Ports[0]];
        _clock.Advance(Refresh);
        var second = ports.Ports;
        using (await ConnectAsync(firstListener))
        {
        }

        _clock.Advance(Refresh);

        Assert.Equal(second.Concat(ports.Ports).Order(), ports.ListeningPorts.ToArray());
        await Assert.ThrowsAnyAsync<SocketException>(() => ConnectAsync(firstListener));
    }

    [Fact]
    public async Task Connection_accepted_on_a_closed_port_should_keep_working()
    {
        var ports = Start(Random(concurrency: 1));
        var port = ports.Ports[0];
        using var client = await ConnectAsync(port);
        using var server = await AcceptedAsync();

        _clock.Advance(Refresh * 2);
        Assert.DoesNotContain(port, ports.ListeningPorts);

        await client.SendAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        Assert.Equal(4, await server.ReceiveAsync(buffer).WaitAsync(Timeout));
        await server.SendAsync(buffer);
        Assert.Equal(4, await client.ReceiveAsync(buffer).WaitAsync(Timeout));
        Assert.Equal(1, ports.AcceptedOn(port));
    }

    [Fact]
    public void Rotation_should_keep_ports_of_the_current_generation_when_the_range_has_too_few_free()
    {
        // 4 ports, 3 at a time: only one is free at a rotation, so two of the current ones stay.
        var ports = Start(Random(concurrency: 3, last: First + 3));
        var first = ports.Ports;

        _clock.Advance(Refresh);

        Assert.Equal(3, ports.Ports.Length);
        Assert.Equal(2, ports.Ports.Intersect(first).Count());
        Assert.Equal(4, ports.ListeningPorts.Length);
    }

    [Fact]
    public void Rotation_should_skip_ports_another_program_holds()
    {
        var taken = new HashSet<int> { First, First + 1, First + 2 };
        var ports = Start(Random(concurrency: 2, last: First + 4), bindFails: taken);

        Assert.Equal([First + 3, First + 4], ports.Ports.ToArray());
    }

    [Fact]
    public void Bind_should_fail_naming_the_range_when_no_port_of_it_is_free()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Start(Random(concurrency: 1, last: First + 1), bindFails: new HashSet<int> { First, First + 1 }));

        Assert.Contains($"127.0.0.1:{First}-{First + 1}", error.Message);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(59, 2)]
    [InlineData(60, 1)]
    [InlineData(119, 1)]
    public void PickPort_should_say_the_refresh_minus_the_whole_minutes_since_the_generation_opened(int secondsLater, int validMinutes)
    {
        var ports = Start(Random(concurrency: 3));
        _clock.Advance(TimeSpan.FromSeconds(secondsLater));

        var (port, minutes) = ports.PickPort()!.Value;

        Assert.Contains(port, ports.Ports);
        Assert.Equal(validMinutes, minutes);
    }

    [Fact]
    public void Always_allocation_should_listen_on_every_port_of_the_range_without_rotating()
    {
        var ports = Start(new InboundOptions("t", IPAddress.Loopback, First, InboundProtocol.VMess, null) { PortTo = First + 4 });

        _clock.Advance(Refresh * 3);

        Assert.Equal(Enumerable.Range(First, 5), ports.Ports.ToArray());
        Assert.Equal(InboundPorts.AlwaysValidMinutes, ports.PickPort()!.Value.ValidMinutes);
    }

    public void Dispose()
    {
        foreach (var ports in _ports) ports.Dispose();
        while (_accepted.TryDequeue(out var socket)) socket.Dispose();
    }

    private static InboundOptions Random(int concurrency, int last = Last) =>
        new("dynamic", IPAddress.Loopback, First, InboundProtocol.VMess, null)
        {
            PortTo = last,
            Allocate = new PortAllocation(PortAllocationStrategy.Random, Refresh, concurrency),
        };

    private InboundPorts Start(InboundOptions options, IReadOnlySet<int>? bindFails = null)
    {
        var ports = InboundPorts.Bind(options, endPoint =>
        {
            if (bindFails?.Contains(endPoint.Port) == true) throw new SocketException((int)SocketError.AddressAlreadyInUse);
            var socket = InboundListenerActor.Bind(new IPEndPoint(endPoint.Address, 0), 16);
            _standIns[endPoint.Port] = (IPEndPoint)socket.LocalEndPoint!;
            return socket;
        }, _clock, new SeededRandomSource(7));
        _ports.Add(ports);
        ports.Start(_accepted.Enqueue, NoLogger.Instance, options.Tag!);
        return ports;
    }

    private Task<Socket> ConnectAsync(int port) => ConnectAsync(_standIns[port]);

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint).WaitAsync(Timeout);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Socket> AcceptedAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await Waits.UntilAsync(() => !_accepted.IsEmpty, cts.Token);
        _accepted.TryDequeue(out var socket);
        return socket!;
    }
}
