namespace VMess.Registry.Replay;

/// <summary>
/// An <see cref="AuthIdExchange"/>'s counters since it started, readable from any thread (metrics read them on every
/// scrape; <see cref="GetAuthIdExchangeStats"/> answers from them). The exchange is the only writer, once per batch.
/// </summary>
public sealed class AuthIdExchangeCounters
{
    private long _batchesSent;
    private long _idsSent;
    private long _messagesReceived;
    private long _idsReceived;
    private long _idsDropped;
    private int _peers;

    /// <summary>Batches made (each goes to every peer).</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    public long IdsSent => Interlocked.Read(ref _idsSent);

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long IdsReceived => Interlocked.Read(ref _idsReceived);

    /// <summary>Ids not shared because too many were waiting.</summary>
    public long IdsDropped => Interlocked.Read(ref _idsDropped);

    /// <summary>The nodes the exchange shares with now.</summary>
    public int Peers => Volatile.Read(ref _peers);

    internal void Sent(int ids)
    {
        Interlocked.Increment(ref _batchesSent);
        Interlocked.Add(ref _idsSent, ids);
    }

    internal void Received(int ids)
    {
        Interlocked.Increment(ref _messagesReceived);
        Interlocked.Add(ref _idsReceived, ids);
    }

    internal void Dropped(long ids) => Interlocked.Add(ref _idsDropped, ids);

    internal void PeersNow(int peers) => Volatile.Write(ref _peers, peers);

    internal GetAuthIdExchangeStatsResult Snapshot() =>
        new(BatchesSent, IdsSent, MessagesReceived, IdsReceived, IdsDropped, Peers);
}
