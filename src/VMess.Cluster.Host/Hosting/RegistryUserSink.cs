using VMess.Protocol.Auth;
using VMess.Registry;
using VMess.Registry.ReadModel;
using VMess.Relay.Online;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// Feeds the registry's users to the inbounds that serve them (<see cref="Relay.RelayNode.RegistryUserIndices"/>).
/// Until the registry holds this node's own config users, each directory is published together with them (the
/// start overlay), so a node serves its config's users from its first second, alone or before the cluster formed;
/// once a directory holds every overlay user (by key), the overlay is dropped and the registry alone decides. A reload
/// that drops a user from the config drops it from the overlay too (<see cref="RetainOverlay"/>).
/// Right after each swap, the live connections of users the indices no longer hold as they were are closed: removed,
/// disabled, or their id or alterId changed (a config user kept by the overlay is still held, so it stays).
/// </summary>
public sealed class RegistryUserSink(IReadOnlyList<UserKeyIndex> indices, IReadOnlyList<VMessAccount> startOverlay, TimeProvider time,
    LiveConnections? liveConnections = null)
    : IUserDirectorySink
{
    private readonly object _gate = new();
    private IReadOnlyList<VMessAccount>? _overlay = startOverlay.Count == 0 ? null : startOverlay;
    private UserDirectory? _last;
    private long _lastVersion;

    /// <summary>Whether the start overlay is still published with the directory.</summary>
    public bool OverlayActive
    {
        get { lock (_gate) return _overlay is not null; }
    }

    /// <summary>The version of the last directory published (0 before the first).</summary>
    public long LastVersion => Interlocked.Read(ref _lastVersion);

    /// <summary>Makes every index hold exactly the directory's users (and what the overlay still adds), swapped atomically.</summary>
    public void Publish(UserDirectory directory)
    {
        // The projector calls one at a time; the lock orders this against RetainOverlay and OverlayActive readers.
        lock (_gate)
        {
            _last = directory;
            Replace();
            Interlocked.Exchange(ref _lastVersion, directory.Version);
        }
    }

    /// <summary>
    /// The config now lists only <paramref name="configKeys"/>: overlay users it no longer lists are dropped at once.
    /// Otherwise a config user removed by a reload before the registry's directory ever held it would stay served.
    /// </summary>
    public void RetainOverlay(IReadOnlySet<string> configKeys)
    {
        lock (_gate)
        {
            if (_overlay is not { } overlay) return;
            var kept = overlay.Where(a => configKeys.Contains(UserKey.For(a.Id, a.Email))).ToArray();
            if (kept.Length == overlay.Count) return;
            _overlay = kept.Length == 0 ? null : kept;
            Replace();
        }
    }

    // The last directory plus the overlay users it lacks; the overlay ends once it lacks none.
    private void Replace()
    {
        var accounts = _last?.Accounts ?? [];
        if (_overlay is { } overlay)
        {
            var keys = accounts.Select(a => UserKey.For(a.Id, a.Email)).ToHashSet(StringComparer.Ordinal);
            var missing = overlay.Where(a => !keys.Contains(UserKey.For(a.Id, a.Email))).ToArray();
            if (missing.Length == 0 && _last is not null) _overlay = null;
            else accounts = [.. accounts, .. missing];
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var index in indices) index.Replace(accounts, now);
        // Only messages to the connections' actors: nothing here waits.
        liveConnections?.CloseUnserved(accounts, _last);
    }
}
