using System.Buffers.Binary;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using VMess.Protocol.Sessions;
using VMess.Registry.Replay;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Replay;

/// <summary>
/// Two ActorSystems in this process form a cluster on loopback, each with a replay guard whose accepted auth ids its
/// <see cref="AuthIdExchange"/> shares: an id accepted on one node must be refused on the other, and a burst of ids
/// must travel in a few batches, not one message each.
/// </summary>
public sealed class AuthIdExchangeSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;
    private readonly ActorSystem _nodeB = RegistryCluster.CreateNode();
    private readonly AuthIdOutbox _outboxA = new(AuthIdExchangeSettings.Default);
    private readonly AuthIdOutbox _outboxB = new(AuthIdExchangeSettings.Default);
    private readonly ServerReplayGuard _guardA;
    private readonly ServerReplayGuard _guardB;
    private IActorRef _exchangeA = ActorRefs.Nobody;
    private IActorRef _exchangeB = ActorRefs.Nobody;

    public AuthIdExchangeSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output)
    {
        _output = output;
        _guardA = new ServerReplayGuard(_outboxA);
        _guardB = new ServerReplayGuard(_outboxB);
    }

    private static long UnixNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        _exchangeA = Sys.StartAuthIdExchange(AuthIdExchangeSettings.Default, _outboxA, _guardA.AuthIds);
        _exchangeB = _nodeB.StartAuthIdExchange(AuthIdExchangeSettings.Default, _outboxB, _guardB.AuthIds);
        var seed = Cluster.Get(Sys).SelfAddress;
        await Task.WhenAll(Cluster.Get(Sys).JoinAsync(seed), Cluster.Get(_nodeB).JoinAsync(seed)).WaitAsync(Bound);
        await AwaitConditionAsync(() => Task.FromResult(Cluster.Get(Sys).State.Members.Count(m => m.Status == MemberStatus.Up) == 2), Bound);
        foreach (var exchange in new[] { _exchangeA, _exchangeB })
        {
            await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsAsync(exchange)).Peers), Bound);
        }
    }

    public async Task DisposeAsync() => await _nodeB.Terminate().WaitAsync(Bound);

    [Fact]
    public async Task Auth_id_accepted_on_node_A_should_be_refused_by_node_B()
    {
        var authId = AuthId(1);
        var watch = Stopwatch.StartNew();

        Assert.True(_guardA.AuthIds.TryAccept(authId, UnixNow, UnixNow));

        await AwaitConditionAsync(() => Task.FromResult(_guardB.AuthIds.Contains(authId, UnixNow)), Bound, TimeSpan.FromMilliseconds(1));
        _output.WriteLine($"accepted on A -> remembered on B: {watch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.False(_guardB.AuthIds.TryAccept(authId, UnixNow, UnixNow));
    }

    [Fact]
    public async Task Auth_id_accepted_on_node_B_should_be_refused_by_node_A()
    {
        var authId = AuthId(2);

        Assert.True(_guardB.AuthIds.TryAccept(authId, UnixNow, UnixNow));

        await AwaitConditionAsync(() => Task.FromResult(_guardA.AuthIds.Contains(authId, UnixNow)), Bound, TimeSpan.FromMilliseconds(1));
        Assert.False(_guardA.AuthIds.TryAccept(authId, UnixNow, UnixNow));
    }

    [Fact]
    public async Task A_burst_of_accepted_ids_should_reach_the_other_node_in_a_few_batches()
    {
        const int count = 10_000;
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < count; i++) _guardA.AuthIds.TryAccept(AuthId(1_000_000 + i), UnixNow, UnixNow);

        await AwaitAssertAsync(async () => Assert.Equal(count, (await StatsAsync(_exchangeB)).IdsReceived), Bound, TimeSpan.FromMilliseconds(10));
        var received = await StatsAsync(_exchangeB);
        _output.WriteLine($"{count} ids accepted on A in {received.MessagesReceived} message(s), all on B after {watch.ElapsedMilliseconds} ms");
        // At most 4096 per message: 3 at the least; a burst spread over a few batch windows makes a few more.
        Assert.InRange(received.MessagesReceived, 3, 12);
        Assert.True(Enumerable.Range(0, count).All(i => !_guardB.AuthIds.TryAccept(AuthId(1_000_000 + i), UnixNow, UnixNow)), "an id of the burst was accepted on B");
    }

    private async Task<GetAuthIdExchangeStatsResult> StatsAsync(IActorRef exchange) =>
        await exchange.Ask<GetAuthIdExchangeStatsResult>(GetAuthIdExchangeStats.Instance, Bound);

    private static byte[] AuthId(int n)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(bytes, n);
        bytes[15] = 0x5A;
        return bytes;
    }
}
