using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.DistributedData;
using Grpc.Net.Client;
using VMess.Api.Stats;
using VMess.Api.Users;
using VMess.Configuration;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Registry;
using VMess.Registry.Persistence;
using VMess.Registry.ReadModel;
using VMess.Registry.Serialization;
using VMess.Relay;
using VMess.Relay.Logging;

namespace VMess.Api.Tests.Support;

/// <summary>
/// One node in this process, wired as the host wires it: a self-joined cluster with the user registry (in-memory
/// journal), the relay with a VMess inbound serving the registry's users and a socks inbound, and the API on
/// 127.0.0.1 (port 0) with every service (our UserService too), over stub counters. Shared by the tests of a class (a class fixture).
/// </summary>
public sealed class ApiTestNode : IAsyncLifetime
{
    public const string VMessTag = "vmess-in";
    public const string SocksTag = "socks-in";
    public const string ApiTag = "api";

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

    private ActorSystem? _system;
    private RelayNode? _relay;
    private ApiHost? _api;
    private IActorRef? _registry;

    public ActorSystem System => _system ?? throw new InvalidOperationException("not started");

    public RelayNode Relay => _relay ?? throw new InvalidOperationException("not started");

    public ApiHost Api => _api ?? throw new InvalidOperationException("not started");

    /// <summary>The user registry's shard region, for changes the API does not make (disabling a user).</summary>
    public IActorRef Registry => _registry ?? throw new InvalidOperationException("not started");

    public InMemoryTrafficStats Traffic { get; } = new();

    public InMemoryOnlineUsers Online { get; } = new();

    /// <summary>What the API logged.</summary>
    internal CapturingLoggers Logs { get; } = new();

    public int VMessPort => Relay.Inbounds.Single(i => i.Options.Tag == VMessTag).EndPoint.Port;

    /// <summary>The users the VMess inbound authenticates now (what the registry's projector last published).</summary>
    public IReadOnlyList<VMessAccount> ServedUsers => Relay.RegistryUserIndices.Single().Accounts;

    public GrpcChannel OpenChannel() => GrpcChannel.ForAddress($"http://127.0.0.1:{Api.EndPoint.Port}");

    public async Task InitializeAsync()
    {
        var loaded = ConfigLoader.Load(ConfigJson);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var options = loaded.Options!;
        var setup = BootstrapSetup.Create().WithConfig(RegistryPersistence.InMemory.WithFallback(AkkaConfig)).And(RegistrySerialization.Setup());
        _system = ActorSystem.Create("api-test", setup);
        _relay = RelayNode.Start(_system, options, RelayLimits.Default, AccessLogs.None, TimeProvider.System, CryptoRandomSource.Instance);
        _system.StartRegistryProjector(RegistrySettings.Default, new IndexSink(_relay.RegistryUserIndices));
        var cluster = Akka.Cluster.Cluster.Get(_system);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
        _registry = _system.StartUserRegistry(RegistrySettings.Default);
        var backends = new ApiBackends(_registry, options, Traffic, Online)
        {
            Users = new ReplicatedRegistryUsers(DistributedData.Get(_system).Replicator, RegistrySettings.Default, TimeSpan.FromSeconds(10)),
            UserInboundAddresses = UserInboundAddress.Bound(_relay),
        };
        _api = await ApiHost.StartAsync(options.Api!, new ApiHostSettings(), backends, Logs);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        _relay?.Stop();
        if (_system is not null) await _system.Terminate().WaitAsync(Bound);
    }

    /// <summary>The projector's directory straight into the inbound's index (the host adds its start overlay; none here).</summary>
    private sealed class IndexSink(IReadOnlyList<UserKeyIndex> indices) : IUserDirectorySink
    {
        public void Publish(UserDirectory directory)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            foreach (var index in indices) index.Replace(directory.Accounts, now);
        }
    }
}
