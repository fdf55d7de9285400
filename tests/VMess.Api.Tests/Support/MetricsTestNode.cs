using System.Net.Http;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using VMess.Api.Metrics;
using VMess.Configuration.Options;
using VMess.Protocol.Sessions;
using VMess.Registry;
using VMess.Registry.ReadModel;
using VMess.Registry.Replay;
using VMess.Relay;

namespace VMess.Api.Tests.Support;

/// <summary>
/// The node wired for metrics as the host wires it: its projector and auth id exchange keeping their counters, the
/// node's meters and the Prometheus endpoint on 127.0.0.1 (port 0).
/// </summary>
public sealed class MetricsTestNode() : InProcessNode("metrics-test", ConfigJson)
{
    private const string ConfigJson = """
        {
          "log": { "loglevel": "warning" },
          "inbounds": [ { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess", "settings": { "clients": [] } } ],
          "outbounds": [ { "protocol": "freedom" } ]
        }
        """;

    private readonly AuthIdOutbox _outbox = new(AuthIdExchangeSettings.Default);
    private readonly RegistryProjectionStats _projection = new();
    private readonly AuthIdExchangeCounters _exchange = new();
    private ServerReplayGuard? _replay;
    private NodeMeters? _meters;
    private MetricsHost? _metrics;

    public MetricsHost Metrics => _metrics ?? throw new InvalidOperationException("not started");

    /// <summary>The <c>node</c> tag of this node's measurements: its cluster self address.</summary>
    public string NodeAddress { get; private set; } = "";

    public HttpClient Scraper { get; } = new() { Timeout = Bound };

    /// <summary>One scrape of <c>/metrics</c>.</summary>
    public async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await Scraper.GetAsync($"http://127.0.0.1:{Metrics.EndPoint.Port}{MetricsHost.Path}");
        response.EnsureSuccessStatusCode();
        return new PrometheusScrape(await response.Content.ReadAsStringAsync(), NodeAddress);
    }

    protected override ServerReplayGuard RegistryReplay => _replay ??= new ServerReplayGuard(_outbox);

    protected override void StartBeforeJoin(ActorSystem system, RelayNode relay)
    {
        system.StartRegistryProjector(RegistrySettings.Default, new UserKeyIndexSink(relay.RegistryUserIndices, TimeProvider.System), _projection);
        system.StartAuthIdExchange(AuthIdExchangeSettings.Default, _outbox, RegistryReplay.AuthIds, counters: _exchange);
    }

    protected override async Task StartAfterJoinAsync(ActorSystem system, RelayNode relay, IActorRef registry, NodeOptions options)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        NodeAddress = cluster.SelfAddress.ToString();
        _meters = new NodeMeters(new NodeMetricSources(NodeAddress, relay)
        {
            Registry = _projection,
            AuthIdExchange = _exchange,
            MembersUp = () => cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up),
        });
        _metrics = await MetricsHost.StartAsync(new MetricsSettings { Port = 0 }, new ApiHostSettings(), NullLoggerFactory.Instance);
    }

    protected override async ValueTask StopAsync()
    {
        Scraper.Dispose();
        if (_metrics is not null) await _metrics.DisposeAsync();
        _meters?.Dispose();
    }
}
