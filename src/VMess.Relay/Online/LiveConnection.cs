using System.Net;
using VMess.Protocol.Auth;

namespace VMess.Relay.Online;

/// <summary>
/// One authenticated connection in <see cref="LiveConnections"/>: whose it is, where it comes from, and how to close
/// it (a message to its connection actor). Disposing unregisters it.
/// </summary>
public sealed class LiveConnection : IDisposable
{
    private readonly LiveConnections _owner;
    private readonly Action<string> _close;
    private int _closing;

    internal LiveConnection(LiveConnections owner, long sequence, string userKey, VMessAccount account, IPAddress? source, Action<string> close)
    {
        _owner = owner;
        Sequence = sequence;
        OpenedAt = DateTime.UtcNow.Ticks;
        UserKey = userKey;
        Account = account;
        Source = source;
        SourceIp = source?.ToString() ?? "unknown";
        _close = close;
    }

    /// <summary>The node's own number for it, rising with each registration.</summary>
    public long Sequence { get; }

    /// <summary>When it registered (UTC ticks): what the cluster's connection limits order connections by.</summary>
    public long OpenedAt { get; }

    /// <summary><see cref="Source"/> as text, "unknown" when the socket did not say.</summary>
    public string SourceIp { get; }

    /// <summary>The registry's key of the user (<see cref="Registry.UserKey"/>).</summary>
    public string UserKey { get; }

    /// <summary>The account the connection authenticated as.</summary>
    public VMessAccount Account { get; }

    /// <summary>The client's address; null when the socket did not say.</summary>
    public IPAddress? Source { get; }

    /// <summary>Whether it was asked to close (it is still registered until its actor stops).</summary>
    internal bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Asks the connection to close, once; true for the call that did.</summary>
    internal bool Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return false;
        _close(reason);
        return true;
    }

    public void Dispose() => _owner.Unregister(this);
}
