using System.Net.Http;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using VMess.Api.Metrics;
using VMess.Configuration;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Sessions;
using VMess.Registry;
using VMess.Registry.Persistence;
using VMess.Registry.ReadModel;
using VMess.Registry.Replay;
using VMess.Registry.Serialization;
using VMess.Relay;
using VMess.Relay.Logging;

namespace VMess.Api.Tests.Support;

/// <summary>
/// One node in this process wired for metrics as the host wires it: a self-joined cluster with the user registry
/// (in-memory journal), its projector and auth id exchange keeping their counters, a VMess inbound serving the
/// registry's users on 127.0.0.1, the node's meters and the Prometheus endpoint on 127.0.0.1 (port 0).
/// </summary>
public sealed class MetricsTestNode : IAsyncLifetime
{
    public const string VMessTag = "vmess-in";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = cluster
          extensions = [
            "Akka.DistributedData.DistributedDataProvider, Akka.DistributedData",
            "Akka.Cluster.Sharding.ClusterShardingExtensionProvider, Akka.Cluster.Sharding"
          ]
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster.min-nr-of-members = 1
          cluster.distributed-data.notify-subscribers-interval = 100ms
        }
        """);

    private const string ConfigJson = """
        {
          "log": { "loglevel": "warning" },
          "inbounds": [ { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess", "settings": { "clients": [] } } ],
          "outbounds": [ { "protocol": "freedom" } ]
        }
        """;

    private ActorSystem? _system;
    private RelayNode? _relay;
    private IActorRef? _registry;
    private NodeMeters? _meters;
    private MetricsHost? _metrics;

    public RelayNode Relay => _relay ?? throw new InvalidOperationException("not started");

    public IActorRef Registry => _registry ?? throw new InvalidOperationException("not started");

    public MetricsHost Metrics => _metrics ?? throw new InvalidOperationException("not started");

    /// <summary>The <c>node</c> tag of this node's measurements: its cluster self address.</summary>
    public string NodeAddress { get; private set; } = "";

    public int VMessPort => Relay.Inbounds.Single(i => i.Options.Tag == VMessTag).EndPoint.Port;

    public HttpClient Scraper { get; } = new() { Timeout = Bound };

    /// <summary>One scrape of <c>/metrics</c>.</summary>
    public async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await Scraper.GetAsync($"http://127.0.0.1:{Metrics.EndPoint.Port}{MetricsHost.Path}");
        response.EnsureSuccessStatusCode();
        return new PrometheusScrape(await response.Content.ReadAsStringAsync(), NodeAddress);
    }

    public async Task InitializeAsync()
    {
        var loaded = ConfigLoader.Load(ConfigJson);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var setup = BootstrapSetup.Create().WithConfig(RegistryPersistence.InMemory.WithFallback(AkkaConfig)).And(RegistrySerialization.Setup());
        _system = ActorSystem.Create("metrics-test", setup);
        var outbox = new AuthIdOutbox(AuthIdExchangeSettings.Default);
        var replay = new ServerReplayGuard(outbox);
        _relay = RelayNode.Start(_system, loaded.Options!, RelayLimits.Default, AccessLogs.None, TimeProvider.System, CryptoRandomSource.Instance, replay);
        var projection = new RegistryProjectionStats();
        var exchange = new AuthIdExchangeCounters();
        _system.StartRegistryProjector(RegistrySettings.Default, new UserKeyIndexSink(_relay.RegistryUserIndices, TimeProvider.System), projection);
        _system.StartAuthIdExchange(AuthIdExchangeSettings.Default, outbox, replay.AuthIds, counters: exchange);
        var cluster = Akka.Cluster.Cluster.Get(_system);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
        _registry = _system.StartUserRegistry(RegistrySettings.Default);
        NodeAddress = cluster.SelfAddress.ToString();
        _meters = new NodeMeters(new NodeMetricSources(NodeAddress, _relay)
        {
            Registry = projection,
            AuthIdExchange = exchange,
            MembersUp = () => cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up),
        });
        _metrics = await MetricsHost.StartAsync(new MetricsSettings { Port = 0 }, new ApiHostSettings(), NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        Scraper.Dispose();
        if (_metrics is not null) await _metrics.DisposeAsync();
        _meters?.Dispose();
        _relay?.Stop();
        if (_system is not null) await _system.Terminate().WaitAsync(Bound);
    }
}
