using Akka.Actor;
using Akka.DistributedData;
using Grpc.Net.Client;
using VMess.Api.Stats;
using VMess.Api.Users;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Registry;
using VMess.Registry.ReadModel;
using VMess.Relay;

namespace VMess.Api.Tests.Support;

/// <summary>
/// The node with a socks inbound beside its VMess one, and the API on 127.0.0.1 (port 0) with every service (our
/// UserService too), over stub counters. Shared by the tests of a class (a class fixture).
/// </summary>
public sealed class ApiTestNode() : InProcessNode("api-test", ConfigJson)
{
    public const string SocksTag = "socks-in";
    public const string ApiTag = "api";

    public const string ConfigJson = """
        {
          "log": { "loglevel": "warning" },
          "api": { "tag": "api", "services": ["HandlerService", "StatsService", "LoggerService"] },
          "stats": {},
          "inbounds": [
            { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess", "settings": { "clients": [] } },
            { "tag": "socks-in", "listen": "127.0.0.1", "port": 0, "protocol": "socks" },
            { "tag": "api", "listen": "127.0.0.1", "port": 0, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }
          ],
          "outbounds": [ { "protocol": "freedom" } ],
          "routing": { "rules": [ { "type": "field", "inboundTag": ["api"], "outboundTag": "api" } ] }
        }
        """;

    private ApiHost? _api;

    public ApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public InMemoryTrafficStats Traffic { get; } = new();

    public InMemoryOnlineUsers Online { get; } = new();

    /// <summary>What the API logged.</summary>
    internal CapturingLoggers Logs { get; } = new();

    /// <summary>The users the VMess inbound authenticates now (what the registry's projector last published).</summary>
    public IReadOnlyList<VMessAccount> ServedUsers => Relay.RegistryUserIndices.Single().Accounts;

    public GrpcChannel OpenChannel() => GrpcChannel.ForAddress($"http://127.0.0.1:{Api.EndPoint.Port}");

    // The projector's directory straight into the inbound's index (the host adds its start overlay; none here).
    protected override void StartBeforeJoin(ActorSystem system, RelayNode relay) =>
        system.StartRegistryProjector(RegistrySettings.Default, new UserKeyIndexSink(relay.RegistryUserIndices, TimeProvider.System));

    protected override async Task StartAfterJoinAsync(ActorSystem system, RelayNode relay, IActorRef registry, NodeOptions options)
    {
        var backends = new ApiBackends(registry, options, Traffic, Online)
        {
            Users = new ReplicatedRegistryUsers(DistributedData.Get(system).Replicator, RegistrySettings.Default, TimeSpan.FromSeconds(10)),
            UserInboundAddresses = UserInboundAddress.Bound(relay),
        };
        _api = await ApiHost.StartAsync(options.Api!, new ApiHostSettings(), backends, Logs);
    }

    protected override async ValueTask StopAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }
}
