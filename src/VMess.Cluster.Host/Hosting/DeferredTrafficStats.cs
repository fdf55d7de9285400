using VMess.Registry.Traffic;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// The node's <see cref="ITrafficStats"/> as a DI singleton that exists before the actor system does: calls wait until
/// <see cref="Bind"/> hands over the real one (the accounting starts with the node's actors).
/// </summary>
public sealed class DeferredTrafficStats : ITrafficStats
{
    private readonly TaskCompletionSource<ITrafficStats> _stats = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Bind(ITrafficStats stats) => _stats.TrySetResult(stats);

    public async Task<StatCounter?> GetAsync(string name, bool reset, CancellationToken cancellationToken) =>
        await (await _stats.Task.WaitAsync(cancellationToken)).GetAsync(name, reset, cancellationToken);

    public async Task<IReadOnlyList<StatCounter>> QueryAsync(string pattern, bool reset, CancellationToken cancellationToken) =>
        await (await _stats.Task.WaitAsync(cancellationToken)).QueryAsync(pattern, reset, cancellationToken);
}
