using System.Collections.Concurrent;
using Akka.Actor;
using VMess.Protocol.Auth;

namespace VMess.Registry.Replay;

/// <summary>
/// The handshake's side of the <see cref="AuthIdExchange"/>: each accepted auth id is queued (lock-free, no allocation
/// beyond the queue's own segments), and only the first id after a drain wakes the exchange, so a burst costs one
/// message to the actor. Never blocks: past <see cref="AuthIdExchangeSettings.MaxPendingIds"/> ids are counted as
/// dropped (and the exchange logs them) instead of queued.
/// </summary>
public sealed class AuthIdOutbox(AuthIdExchangeSettings settings) : IAcceptedAuthIdListener
{
    private readonly ConcurrentQueue<(UInt128 AuthId, long ExpiresAt)> _queue = new();
    private readonly int _maxPending = settings.EnsureValid().MaxPendingIds;
    private IActorRef? _exchange;
    private int _pending;
    private int _awake;
    private long _dropped;

    /// <summary>Ids queued and not yet taken by the exchange.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Accepted(UInt128 authId, long expiresAt)
    {
        if (Interlocked.Increment(ref _pending) > _maxPending)
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue((authId, expiresAt));
        if (Volatile.Read(ref _awake) == 0 && Interlocked.Exchange(ref _awake, 1) == 0)
        {
            // Before the exchange is bound the flag stays set: it drains everything when it starts.
            Volatile.Read(ref _exchange)?.Tell(AuthIdExchange.Wake.Instance);
        }
    }

    /// <summary>The exchange announces itself once it runs; ids queued before then wait for its first drain.</summary>
    internal void Bind(IActorRef exchange) => Volatile.Write(ref _exchange, exchange);

    /// <summary>
    /// Called by the exchange before it drains: the next id accepted after this wakes it again, so none is left
    /// behind (one that slips into this drain costs an empty wake-up at worst).
    /// </summary>
    internal void BeginDrain() => Interlocked.Exchange(ref _awake, 0);

    internal bool TryTake(out UInt128 authId, out long expiresAt)
    {
        if (_queue.TryDequeue(out var entry))
        {
            Interlocked.Decrement(ref _pending);
            (authId, expiresAt) = entry;
            return true;
        }
        (authId, expiresAt) = (UInt128.Zero, 0);
        return false;
    }

    /// <summary>Ids dropped since the last call.</summary>
    internal long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);
}
