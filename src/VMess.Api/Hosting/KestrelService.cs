using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace VMess.Api.Hosting;

/// <summary>
/// A Kestrel app a node runs beside its relay (the operator API, the metrics endpoint): where it listens, and how it
/// stops with the node.
/// </summary>
public abstract class KestrelService(WebApplication app, IPEndPoint endPoint, string shutdownTaskName) : IAsyncDisposable
{
    private int _stopped;

    /// <summary>Where it listens, with port 0 resolved to the port the OS gave.</summary>
    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>
    /// Stops it within coordinated shutdown's service-unbind phase: after the node stops accepting and before the
    /// cluster registry, which in-flight calls may still be waiting on, stops.
    /// </summary>
    public void StopOnShutdown(ActorSystem system) =>
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, shutdownTaskName, async () =>
        {
            await StopAsync(CancellationToken.None);
            return Akka.Done.Instance;
        });

    /// <summary>Stops listening and lets requests in progress finish (within the app's shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The address the started app is bound to: <paramref name="configured"/> with the port the OS gave.</summary>
    protected static IPEndPoint BoundEndPoint(WebApplication app, IPEndPoint configured)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri)) return new IPEndPoint(configured.Address, uri.Port);
        }
        return configured;
    }
}
