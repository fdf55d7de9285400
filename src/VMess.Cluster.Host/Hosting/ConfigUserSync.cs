using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using VMess.Configuration;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Registry;
using VMess.Registry.Messages;
using VMess.Relay;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// Keeps the registry in step with this node's config file: at start its <c>clients</c> are upserted (in the
/// background, retried until the registry answers), and on SIGHUP the file is read again: its clients are upserted
/// and the users this node's config seeded before but no longer lists are removed. Users seeded by other nodes'
/// configs, or added at runtime, are never removed by a reload here. Only <c>clients</c> are reloaded; inbounds,
/// ports and the rest of the file take effect at the next start. Runs on the control plane: it asks the shard region,
/// and a connection in flight never waits for it.
/// The keys this config seeded are kept in <paramref name="seededKeysPath"/> (next to the config), so a user deleted
/// from the file while the node was down is removed at the next start, as a reload would have.
/// </summary>
public sealed class ConfigUserSync(IActorRef registry, RegistryHostSettings settings, ILoggingAdapter log, string? seededKeysPath = null)
{
    /// <summary>The file next to a config that lists the user keys it seeded: <c>CONFIG.seeded-users</c>.</summary>
    public static string SeededKeysPathFor(string configPath) => configPath + ".seeded-users";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private HashSet<string> _seeded = new(StringComparer.Ordinal);
    private volatile bool _stopped;

    /// <summary>The users a config puts in the registry: the clients of its <see cref="RelayNode.RegistryInbounds"/>, one per key.</summary>
    public static IReadOnlyList<VMessAccount> ClientsOf(NodeOptions options) =>
        RelayNode.RegistryInbounds(options).SelectMany(i => i.VMess!.Clients).DistinctBy(a => UserKey.For(a.Id, a.Email)).ToArray();

    /// <summary>Seeds the config's users, retrying every 2 s until it succeeds (a cluster still forming) or is cancelled.</summary>
    public async Task SeedAtStartAsync(IReadOnlyList<VMessAccount> clients, CancellationToken cancellationToken)
    {
        _seeded = ReadSeededKeys();
        while (!_stopped && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ApplyAsync(clients, "seeded the config's users", cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.Warning("registry: seeding the config's {0} user(s) did not finish ({1}); retrying in {2}", clients.Count, e.Message, RetryDelay);
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>SIGHUP: reads <paramref name="configPath"/> again and applies its clients; an invalid file changes nothing.</summary>
    public async Task ReloadAsync(string configPath, CancellationToken cancellationToken)
    {
        if (_stopped) return;
        log.Info("registry: reloading the clients of {0}", configPath);
        var loaded = ConfigLoader.LoadFile(configPath);
        if (!loaded.IsValid)
        {
            log.Warning("registry: {0} is invalid, users unchanged: {1}", configPath, string.Join("; ", loaded.Errors));
            return;
        }
        try
        {
            await ApplyAsync(ClientsOf(loaded.Options!), "reloaded the config's users", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.Warning("registry: the reload did not finish ({0}); send SIGHUP again to retry", e.Message);
        }
    }

    /// <summary>
    /// Shutdown: no new seeding or reload starts, and the one running may finish within <paramref name="bound"/>. A
    /// command still waiting for its shard would hold the region's graceful shutdown until that phase times out.
    /// </summary>
    public async Task StopAsync(TimeSpan bound)
    {
        _stopped = true;
        if (await _oneAtATime.WaitAsync(bound).ConfigureAwait(false)) _oneAtATime.Release();
        else log.Warning("registry: the config's users were still being written after {0}; shutting down anyway", bound);
    }

    private async Task ApplyAsync(IReadOnlyList<VMessAccount> clients, string what, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var watch = Stopwatch.StartNew();
            var report = await RegistrySeeder.SeedAsync(registry, clients, settings.SeedTimeoutPerUser, cancellationToken: cancellationToken).ConfigureAwait(false);
            var keys = clients.Select(a => UserKey.For(a.Id, a.Email)).ToHashSet(StringComparer.Ordinal);
            var gone = _seeded.Where(key => !keys.Contains(key)).ToList();
            // Until every removal answered, the removed keys stay "seeded here", so the next reload tries them again.
            _seeded = [.. keys, .. gone];
            var removed = 0;
            foreach (var key in gone)
            {
                var result = await registry.Ask<UserCommandResult>(new RemoveUser(key), settings.SeedTimeoutPerUser, cancellationToken).ConfigureAwait(false);
                if (result.Outcome == UserCommandOutcome.Applied) removed++;
                _seeded.Remove(key);
            }
            WriteSeededKeys();
            log.Info("registry: {0}: {1} added or changed, {2} unchanged, {3} removed, in {4} ms",
                what, report.Applied, report.Unchanged, removed, watch.ElapsedMilliseconds);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private HashSet<string> ReadSeededKeys()
    {
        if (seededKeysPath is null || !File.Exists(seededKeysPath)) return new(StringComparer.Ordinal);
        try
        {
            return new(JsonSerializer.Deserialize<string[]>(File.ReadAllText(seededKeysPath)) ?? [], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            log.Warning("registry: cannot read {0} ({1}); users deleted from the config while the node was down stay until removed", seededKeysPath, e.Message);
            return new(StringComparer.Ordinal);
        }
    }

    // Written to a temporary file and moved over the old one, so a crash leaves one whole list or the other.
    private void WriteSeededKeys()
    {
        if (seededKeysPath is null) return;
        try
        {
            var temporary = seededKeysPath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_seeded.Order(StringComparer.Ordinal).ToArray()));
            File.Move(temporary, seededKeysPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("registry: cannot write {0} ({1}); a user deleted from the config while the node is down will stay", seededKeysPath, e.Message);
        }
    }
}
