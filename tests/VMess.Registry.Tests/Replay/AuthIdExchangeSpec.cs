using System.Buffers.Binary;
using System.Diagnostics;
using Akka.TestKit.Xunit2;
using VMess.Registry.Replay;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;
using static VMess.Registry.Tests.Support.ExchangeNodes;

namespace VMess.Registry.Tests.Replay;

/// <summary>
/// Two ActorSystems in this process form a cluster on loopback (<see cref="ExchangeNodes"/>): an auth id accepted on
/// one node must be refused on the other, and a burst of ids must travel in a few batches, not one message each.
/// </summary>
public sealed class AuthIdExchangeSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;
    private ExchangeNodes _nodes = null!;

    public AuthIdExchangeSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output)
    {
        _output = output;
    }

    public async Task InitializeAsync() => _nodes = await ExchangeNodes.StartAsync(Sys, AuthIdExchangeSettings.Default);

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task Auth_id_accepted_on_node_A_should_be_refused_by_node_B()
    {
        var authId = AuthId(1);
        var watch = Stopwatch.StartNew();

        Assert.True(_nodes.GuardA.AuthIds.TryAccept(authId, UnixNow, UnixNow));

        await AwaitConditionAsync(() => Task.FromResult(_nodes.GuardB.AuthIds.Contains(authId, UnixNow)), Bound, TimeSpan.FromMilliseconds(1));
        _output.WriteLine($"accepted on A -> remembered on B: {watch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.False(_nodes.GuardB.AuthIds.TryAccept(authId, UnixNow, UnixNow));
    }

    [Fact]
    public async Task Auth_id_accepted_on_node_B_should_be_refused_by_node_A()
    {
        var authId = AuthId(2);

        Assert.True(_nodes.GuardB.AuthIds.TryAccept(authId, UnixNow, UnixNow));

        await AwaitConditionAsync(() => Task.FromResult(_nodes.GuardA.AuthIds.Contains(authId, UnixNow)), Bound, TimeSpan.FromMilliseconds(1));
        Assert.False(_nodes.GuardA.AuthIds.TryAccept(authId, UnixNow, UnixNow));
    }

    [Fact]
    public async Task A_burst_of_accepted_ids_should_reach_the_other_node_in_a_few_batches()
    {
        const int count = 10_000;
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < count; i++) _nodes.GuardA.AuthIds.TryAccept(AuthId(1_000_000 + i), UnixNow, UnixNow);

        await AwaitAssertAsync(async () => Assert.Equal(count, (await StatsAsync(_nodes.ExchangeB)).IdsReceived), Bound, TimeSpan.FromMilliseconds(10));
        var received = await StatsAsync(_nodes.ExchangeB);
        _output.WriteLine($"{count} ids accepted on A in {received.MessagesReceived} message(s), all on B after {watch.ElapsedMilliseconds} ms");
        // At most 4096 per message, so 3 at the least; the first id goes alone, and a burst spread over a few batch
        // windows makes a few more.
        Assert.InRange(received.MessagesReceived, 3, 12);
        Assert.True(Enumerable.Range(0, count).All(i => !_nodes.GuardB.AuthIds.TryAccept(AuthId(1_000_000 + i), UnixNow, UnixNow)),
            "an id of the burst was accepted on B");
    }

    internal static byte[] AuthId(int n)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(bytes, n);
        bytes[15] = 0x5A;
        return bytes;
    }
}
