using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VMess.Api;
using VMess.Api.Stats;
using VMess.Configuration.Options;
using VMess.Registry.Online;
using VMess.Registry.Traffic;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// Starts the operator API when the config has one (<see cref="NodeOptions.Api"/>), and has coordinated shutdown stop it
/// before the registry. The counters and online users are whatever <see cref="ITrafficStats"/> and
/// <see cref="IOnlineUsers"/> the host registers; without them, empty node-local ones.
/// </summary>
internal static class ApiStartup
{
    /// <summary>The running API, or null when the config has none; throws <see cref="InvalidOperationException"/> when it cannot listen.</summary>
    public static async Task<ApiHost?> StartAsync(IServiceProvider services, NodeOptions options, ApiHostSettings settings, IActorRef userRegistry)
    {
        if (options.Api is not { } api) return null;
        var backends = new ApiBackends(userRegistry, options,
            services.GetService<ITrafficStats>() ?? new InMemoryTrafficStats(),
            services.GetService<IOnlineUsers>() ?? new InMemoryOnlineUsers());
        var host = await ApiHost.StartAsync(api, settings, backends, services.GetRequiredService<ILoggerFactory>());
        host.StopOnShutdown(services.GetRequiredService<ActorSystem>());
        return host;
    }
}
