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
/// One write runs at a time, and each writes the clients of the newest file read: a start seeding still retrying when
/// a reload arrives retries with the reloaded clients, never the old ones.
/// The keys this config seeded are kept in <paramref name="seededKeysPath"/> (next to the config), so a user deleted
/// from the file while the node was down is removed at the next start, as a reload would have.
/// </summary>
public sealed class ConfigUserSync
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly IActorRef _registry;
    private readonly RegistryHostSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly string? _seededKeysPath;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<VMessAccount> _desired = [];
    private HashSet<string> _seeded;

    private readonly Action<IReadOnlySet<string>>? _reloaded;

    /// <param name="reloaded">Called with the user keys of each valid file a reload read, before its writes.</param>
    public ConfigUserSync(IActorRef registry, RegistryHostSettings settings, ILoggingAdapter log, string? seededKeysPath = null,
        Action<IReadOnlySet<string>>? reloaded = null)
    {
        (_registry, _settings, _log, _seededKeysPath, _reloaded) = (registry, settings, log, seededKeysPath, reloaded);
        _seeded = ReadSeededKeys();
    }

    /// <summary>The file next to a config that lists the user keys it seeded: <c>CONFIG.seeded-users</c>.</summary>
    public static string SeededKeysPathFor(string configPath) => configPath + ".seeded-users";

    /// <summary>The users a config puts in the registry: the clients of its <see cref="RelayNode.RegistryInbounds"/>, one per key.</summary>
    public static IReadOnlyList<VMessAccount> ClientsOf(NodeOptions options) =>
        RelayNode.RegistryInbounds(options).SelectMany(i => i.VMess!.Clients).DistinctBy(a => UserKey.For(a.Id, a.Email)).ToArray();

    /// <summary>Seeds the config's users, retrying every 2 s until it succeeds (a cluster still forming) or is cancelled.</summary>
    public async Task SeedAtStartAsync(IReadOnlyList<VMessAccount> clients, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _desired, clients);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        while (!linked.IsCancellationRequested)
        {
            try
            {
                await ApplyAsync("seeded the config's users", linked.Token);
                return;
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.Warning("registry: seeding the config's {0} user(s) did not finish ({1}); retrying in {2}", Volatile.Read(ref _desired).Count, e.Message, RetryDelay);
                try
                {
                    await Task.Delay(RetryDelay, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>SIGHUP: reads <paramref name="configPath"/> again and applies its clients; an invalid file changes nothing.</summary>
    public async Task ReloadAsync(string configPath, CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested) return;
        _log.Info("registry: reloading the clients of {0}", configPath);
        var loaded = ConfigLoader.LoadFile(configPath);
        if (!loaded.IsValid)
        {
            _log.Warning("registry: {0} is invalid, users unchanged: {1}", configPath, string.Join("; ", loaded.Errors));
            return;
        }
        var clients = ClientsOf(loaded.Options!);
        Volatile.Write(ref _desired, clients);
        _reloaded?.Invoke(clients.Select(a => UserKey.For(a.Id, a.Email)).ToHashSet(StringComparer.Ordinal));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            await ApplyAsync("reloaded the config's users", linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // shutting down: the next start seeds the file as it is then
        }
        catch (Exception e)
        {
            _log.Warning("registry: the reload did not finish ({0}); send SIGHUP again to retry", e.Message);
        }
    }

    /// <summary>
    /// Shutdown: the write in progress is cancelled (upserts and removals are idempotent, and the next start writes the
    /// file again) and no new one starts; returns once it has stopped, or after <paramref name="bound"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan bound)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (await _oneAtATime.WaitAsync(bound).ConfigureAwait(false)) _oneAtATime.Release();
        else _log.Warning("registry: the config's users were still being written after {0}; shutting down anyway", bound);
    }

    private async Task ApplyAsync(string what, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var watch = Stopwatch.StartNew();
            var clients = Volatile.Read(ref _desired);
            var keys = clients.Select(a => UserKey.For(a.Id, a.Email)).ToHashSet(StringComparer.Ordinal);
            var gone = _seeded.Where(key => !keys.Contains(key)).ToList();
            // From here every listed key counts as seeded by this config (an upsert that times out may still land), and
            // the removed ones stay so until their removal answered, so a later write removes what this one could not.
            _seeded = [.. keys, .. gone];
            var report = await RegistrySeeder.SeedAsync(_registry, clients, _settings.SeedTimeoutPerUser, cancellationToken: cancellationToken).ConfigureAwait(false);
            var removed = 0;
            foreach (var key in gone)
            {
                var result = await _registry.Ask<UserCommandResult>(new RemoveUser(key), _settings.SeedTimeoutPerUser, cancellationToken).ConfigureAwait(false);
                if (result.Outcome == UserCommandOutcome.Applied) removed++;
                _seeded.Remove(key);
            }
            WriteSeededKeys();
            _log.Info("registry: {0}: {1} added or changed, {2} unchanged, {3} removed, in {4} ms",
                what, report.Applied, report.Unchanged, removed, watch.ElapsedMilliseconds);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private HashSet<string> ReadSeededKeys()
    {
        if (_seededKeysPath is null || !File.Exists(_seededKeysPath)) return new(StringComparer.Ordinal);
        try
        {
            return new(JsonSerializer.Deserialize<string[]>(File.ReadAllText(_seededKeysPath)) ?? [], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            _log.Warning("registry: cannot read {0} ({1}); users deleted from the config while the node was down stay until removed", _seededKeysPath, e.Message);
            return new(StringComparer.Ordinal);
        }
    }

    // Written to a temporary file and moved over the old one, so a crash leaves one whole list or the other.
    private void WriteSeededKeys()
    {
        if (_seededKeysPath is null) return;
        try
        {
            var temporary = _seededKeysPath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_seeded.Order(StringComparer.Ordinal).ToArray()));
            File.Move(temporary, _seededKeysPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("registry: cannot write {0} ({1}); a user deleted from the config while the node is down will stay", _seededKeysPath, e.Message);
        }
    }
}
