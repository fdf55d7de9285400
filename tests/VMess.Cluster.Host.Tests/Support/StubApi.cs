using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using VMess.Api;
using VMess.Api.Stats;
using VMess.Api.Users;
using VMess.Configuration;
using VMess.Registry.Messages;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// The operator API in this process without a cluster (its registry is <see cref="ActorRefs.Nobody"/>), over counters the
/// test sets: for the commands that read counters and for the connection's errors. On 0.0.0.0 with
/// <see cref="Token"/> when <c>withToken</c>, else on 127.0.0.1; called through 127.0.0.1 either way. Given
/// <c>users</c>, it serves our UserService's reads over exactly those records (whatever state a test needs).
/// </summary>
internal sealed class StubApi : IAsyncDisposable
{
    public const string Token = "stub-token";

    private readonly ApiHost _api;

    private StubApi(ApiHost api, InMemoryTrafficStats traffic)
    {
        _api = api;
        Traffic = traffic;
    }

    public InMemoryTrafficStats Traffic { get; }

    public string Server => $"127.0.0.1:{_api.EndPoint.Port}";

    public static async Task<StubApi> StartAsync(bool withToken = false, IReadOnlyList<UserRecord>? users = null)
    {
        var loaded = ConfigLoader.Load($$"""
            {
              "api": { "tag": "api", "services": ["HandlerService", "StatsService"] },
              "stats": {},
              "inbounds": [
                { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess", "settings": { "clients": [] } },
                { "tag": "api", "listen": "{{(withToken ? "0.0.0.0" : "127.0.0.1")}}", "port": 0, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }
              ],
              "routing": { "rules": [ { "type": "field", "inboundTag": ["api"], "outboundTag": "api" } ] }
            }
            """);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var traffic = new InMemoryTrafficStats();
        var backends = new ApiBackends(ActorRefs.Nobody, loaded.Options, traffic, new InMemoryOnlineUsers())
        {
            Users = users is null ? null : new FixedRegistryUsers(users),
        };
        var settings = new ApiHostSettings { Token = withToken ? Token : null };
        return new StubApi(await ApiHost.StartAsync(loaded.Options.Api!, settings, backends, NullLoggerFactory.Instance), traffic);
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private sealed class FixedRegistryUsers(IReadOnlyList<UserRecord> users) : IRegistryUsers
    {
        public Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(users);

        public Task<UserRecord?> GetAsync(string userKey, CancellationToken cancellationToken) =>
            Task.FromResult(users.FirstOrDefault(u => u.Key == userKey));
    }
}
