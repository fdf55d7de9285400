using VMess.Registry.Tests.Support;
using VMess.Registry.Traffic;

namespace VMess.Registry.Tests.Traffic;

public sealed class TrafficLedgerTests
{
    private readonly TrafficLedger _ledger = new();

    [Fact]
    public void Collect_should_add_only_what_each_live_connection_carried_since_the_last_collect()
    {
        var connection = Open(user: "alice@example.com");
        connection.Payload = new(100, 1000);
        _ledger.Collect();
        connection.Payload = new(150, 1000);
        _ledger.Collect();

        Assert.Equal([new UserTrafficDelta("alice@example.com", new(150, 1000))], Take());
    }

    [Fact]
    public void Take_should_give_each_user_with_new_bytes_once_and_then_nothing()
    {
        var alice = Open(user: "alice@example.com");
        var bob = Open(user: "bob@example.com");
        alice.Payload = new(1, 2);
        bob.Payload = new(3, 4);
        _ledger.Collect();

        var first = Take();
        _ledger.Collect();

        Assert.Equal(2, first.Count);
        Assert.Contains(new UserTrafficDelta("bob@example.com", new(3, 4)), first);
        Assert.Empty(Take());
    }

    [Fact]
    public void Closed_connection_should_be_read_a_last_time_by_the_next_collect_and_then_forgotten()
    {
        var connection = Open(user: "alice@example.com");
        connection.Payload = new(10, 20);
        connection.Close();
        Assert.Equal(1, _ledger.LiveConnections);

        _ledger.Collect();
        connection.Payload = new(99, 99);
        _ledger.Collect();

        Assert.Equal([new UserTrafficDelta("alice@example.com", new(10, 20))], Take());
        Assert.Equal(0, _ledger.LiveConnections);
    }

    [Fact]
    public void Payload_carried_before_the_user_was_known_should_still_be_the_users()
    {
        var connection = Open(user: null);
        connection.Payload = new(7, 0);
        _ledger.Collect();

        connection.CountFor(_ledger.User("alice@example.com"));
        connection.Close();
        _ledger.Collect();

        Assert.Equal([new UserTrafficDelta("alice@example.com", new(7, 0))], Take());
    }

    [Fact]
    public void Connections_of_the_same_user_should_add_up_into_one_delta()
    {
        var first = Open(user: "alice@example.com");
        var second = Open(user: "alice@example.com");
        first.Payload = new(1, 10);
        second.Payload = new(2, 20);

        first.Close();
        second.Close();
        _ledger.Collect();

        Assert.Equal([new UserTrafficDelta("alice@example.com", new(3, 30))], Take());
    }

    [Fact]
    public void Inbound_counters_should_sum_the_client_side_and_reset_to_zero_returning_the_value_before()
    {
        var inbound = _ledger.Inbound("vmess-in");
        var connection = Open(user: null, inbound: inbound);
        connection.ClientSide = new(500, 700);
        connection.Close();
        _ledger.Collect();

        Assert.Equal(500, inbound.Reset(TrafficDirection.Uplink));
        Assert.Equal((0L, 700L), (inbound.Uplink, inbound.Downlink));
        Assert.Same(inbound, _ledger.FindInbound("vmess-in"));
        Assert.Null(_ledger.FindInbound("other"));
    }

    [Fact]
    public async Task Concurrent_connections_and_takes_should_lose_and_double_no_byte()
    {
        const int Threads = 4, ConnectionsPerThread = 2000;
        using var done = new CancellationTokenSource();
        var taker = Task.Run(() =>
        {
            var buffer = new List<UserTrafficDelta>();
            while (!done.IsCancellationRequested)
            {
                _ledger.Collect();
                _ledger.TakePending(buffer);
            }
            _ledger.Collect();
            _ledger.TakePending(buffer);
            return buffer.Aggregate(new TrafficTotals(), (sum, d) => sum + d.Bytes);
        });

        Parallel.For(0, Threads, thread =>
        {
            for (var i = 0; i < ConnectionsPerThread; i++)
            {
                var connection = Open(user: $"user{i % 10}@example.com");
                connection.Payload = new(1, 2);
                connection.Payload = new(3, 5);
                connection.Close();
                // A second collector now and then, as the stats API collects before reading the inbounds' counters.
                if (i % 100 == 0) _ledger.Collect();
            }
        });
        await done.CancelAsync();
        var taken = await taker;

        Assert.Equal(new TrafficTotals(3L * Threads * ConnectionsPerThread, 5L * Threads * ConnectionsPerThread), taken);
    }

    private List<UserTrafficDelta> Take()
    {
        var taken = new List<UserTrafficDelta>();
        _ledger.TakePending(taken);
        return taken;
    }

    private FakeConnection Open(string? user, InboundTrafficCounter? inbound = null) => FakeConnection.Open(_ledger, user, inbound);
}
