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

    internal LiveConnection(LiveConnections owner, string userKey, VMessAccount account, IPAddress? source, Action<string> close)
    {
        _owner = owner;
        UserKey = userKey;
        Account = account;
        Source = source;
        _close = close;
    }

    /// <summary>The registry's key of the user (<see cref="Registry.UserKey"/>).</summary>
    public string UserKey { get; }

    /// <summary>The account the connection authenticated as.</summary>
    public VMessAccount Account { get; }

    /// <summary>The client's address; null when the socket did not say.</summary>
    public IPAddress? Source { get; }

    /// <summary>Asks the connection to close, once; true for the call that did.</summary>
    internal bool Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return false;
        _close(reason);
        return true;
    }

    public void Dispose() => _owner.Unregister(this);
}
