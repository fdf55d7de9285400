using Akka.Actor;
using Akka.DistributedData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VMess.Api;
using VMess.Api.Stats;
using VMess.Api.Users;
using VMess.Configuration.Options;
using VMess.Registry;
using VMess.Registry.Online;
using VMess.Registry.Traffic;
using VMess.Relay;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// Starts the operator API when the config has one (<see cref="NodeOptions.Api"/>), and has coordinated shutdown stop it
/// before the registry. The counters and online users are whatever <see cref="ITrafficStats"/> and
/// <see cref="IOnlineUsers"/> the host registers; without them, empty node-local ones. Users are listed from this node's
/// replica of the registry's buckets, and the inbounds with the ports they really listen on.
/// </summary>
internal static class ApiStartup
{
    /// <summary>The running API, or null when the config has none; throws <see cref="InvalidOperationException"/> when it cannot listen.</summary>
    public static async Task<ApiHost?> StartAsync(IServiceProvider services, NodeOptions options, ApiHostSettings settings, IActorRef userRegistry,
        RelayNode relay, RegistrySettings registry)
    {
        if (options.Api is not { } api) return null;
        var system = services.GetRequiredService<ActorSystem>();
        var backends = new ApiBackends(userRegistry, options,
            services.GetService<ITrafficStats>() ?? new InMemoryTrafficStats(),
            services.GetService<IOnlineUsers>() ?? new InMemoryOnlineUsers())
        {
            Users = new ReplicatedRegistryUsers(DistributedData.Get(system).Replicator, registry, settings.RegistryTimeout),
            UserInboundAddresses = UserInboundAddress.Bound(relay),
        };
        var host = await ApiHost.StartAsync(api, settings, backends, services.GetRequiredService<ILoggerFactory>());
        host.StopOnShutdown(system);
        return host;
    }
}
