using Microsoft.Extensions.Hosting;

namespace VMess.Api.Hosting;

/// <summary>
/// The API's lifetime belongs to the node: no console lifetime of its own reacting to SIGTERM or Ctrl+C, and no
/// "Application started" lines; the node stops the API in its coordinated shutdown.
/// </summary>
internal sealed class NodeOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
