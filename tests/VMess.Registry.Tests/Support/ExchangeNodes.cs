using Akka.Actor;
using Akka.Cluster;
using VMess.Protocol.Sessions;
using VMess.Registry.Replay;

namespace VMess.Registry.Tests.Support;

/// <summary>
/// Two nodes of one cluster on loopback, each with a replay guard whose accepted auth ids its
/// <see cref="AuthIdExchange"/> shares: node A is the spec's own system, node B a second one (terminated on dispose).
/// Ready once both are up and each exchange knows the other.
/// </summary>
internal sealed class ExchangeNodes : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private ExchangeNodes(ActorSystem nodeB, ServerReplayGuard guardA, ServerReplayGuard guardB, IActorRef exchangeA, IActorRef exchangeB)
    {
        NodeB = nodeB;
        GuardA = guardA;
        GuardB = guardB;
        ExchangeA = exchangeA;
        ExchangeB = exchangeB;
    }

    public ActorSystem NodeB { get; }
    public ServerReplayGuard GuardA { get; }
    public ServerReplayGuard GuardB { get; }
    public IActorRef ExchangeA { get; }
    public IActorRef ExchangeB { get; }

    public static long UnixNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static async Task<ExchangeNodes> StartAsync(ActorSystem nodeA, AuthIdExchangeSettings settings)
    {
        var nodeB = RegistryCluster.CreateNode();
        var (guardA, exchangeA) = StartExchange(nodeA, settings);
        var (guardB, exchangeB) = StartExchange(nodeB, settings);
        var nodes = new ExchangeNodes(nodeB, guardA, guardB, exchangeA, exchangeB);
        try
        {
            var seed = Cluster.Get(nodeA).SelfAddress;
            await Task.WhenAll(Cluster.Get(nodeA).JoinAsync(seed), Cluster.Get(nodeB).JoinAsync(seed)).WaitAsync(Bound);
            await Eventually.TrueAsync(() => Cluster.Get(nodeA).State.Members.Count(m => m.Status == MemberStatus.Up) == 2, Bound, () => "two members up");
            await WaitForPeerAsync(exchangeA);
            await WaitForPeerAsync(exchangeB);
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    public static Task<GetAuthIdExchangeStatsResult> StatsAsync(IActorRef exchange) =>
        exchange.Ask<GetAuthIdExchangeStatsResult>(GetAuthIdExchangeStats.Instance, Bound);

    private static async Task WaitForPeerAsync(IActorRef exchange)
    {
        var deadline = DateTime.UtcNow + Bound;
        while ((await StatsAsync(exchange)).Peers != 1)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{exchange} did not hear of the other node within {Bound}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await NodeB.Terminate().WaitAsync(Bound);

    private static (ServerReplayGuard Guard, IActorRef Exchange) StartExchange(ActorSystem system, AuthIdExchangeSettings settings)
    {
        var outbox = new AuthIdOutbox(settings);
        var guard = new ServerReplayGuard(outbox);
        return (guard, system.StartAuthIdExchange(settings, outbox, guard.AuthIds));
    }
}
