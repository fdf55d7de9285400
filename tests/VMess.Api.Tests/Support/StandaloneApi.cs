using Akka.Actor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VMess.Api.Stats;
using VMess.Api.Users;
using VMess.Configuration;
using VMess.Registry.Messages;

namespace VMess.Api.Tests.Support;

/// <summary>
/// The API alone, without a cluster (its registry is <see cref="ActorRefs.Nobody"/>): for the stats, logger and access
/// tests, which never reach the registry. Listens where <paramref name="listen"/> says, on a port the OS picks.
/// With <paramref name="serveUsers"/> it serves our UserService too, over a registry without users.
/// </summary>
internal static class StandaloneApi
{
    public static async Task<ApiHost> StartAsync(InMemoryTrafficStats? traffic = null, InMemoryOnlineUsers? online = null,
        string listen = "127.0.0.1", string services = "\"HandlerService\", \"StatsService\", \"LoggerService\"",
        ApiHostSettings? settings = null, ILoggerFactory? loggers = null, bool serveUsers = false)
    {
        var loaded = ConfigLoader.Load($$"""
            {
              "api": { "tag": "api", "services": [ {{services}} ] },
              "stats": {},
              "inbounds": [
                { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess", "settings": { "clients": [] } },
                { "tag": "api", "listen": "{{listen}}", "port": 0, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }
              ],
              "routing": { "rules": [ { "type": "field", "inboundTag": ["api"], "outboundTag": "api" } ] }
            }
            """);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var options = loaded.Options!;
        var backends = new ApiBackends(ActorRefs.Nobody, options, traffic ?? new InMemoryTrafficStats(), online ?? new InMemoryOnlineUsers())
        {
            Users = serveUsers ? new NoRegistryUsers() : null,
        };
        return await ApiHost.StartAsync(options.Api!, settings ?? new ApiHostSettings(), backends, loggers ?? NullLoggerFactory.Instance);
    }

    private sealed class NoRegistryUsers : IRegistryUsers
    {
        public Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<UserRecord>>([]);

        public Task<UserRecord?> GetAsync(string userKey, CancellationToken cancellationToken) => Task.FromResult<UserRecord?>(null);
    }

    /// <summary>A channel to the API through 127.0.0.1, whatever address it listens on.</summary>
    public static Grpc.Net.Client.GrpcChannel OpenChannel(this ApiHost api) =>
        Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{api.EndPoint.Port}");
}
