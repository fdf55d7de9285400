namespace VMess.Relay.Inbound;

/// <summary>How many connections an inbound holds; the listener counts in, each connection actor counts itself out.</summary>
public sealed class ConnectionCounter
{
    private int _count;
    private long _opened;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Every connection opened since start (the limit's refusals not counted): a monotonic total for metrics.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    public bool TryOpen(int limit)
    {
        if (Interlocked.Increment(ref _count) <= limit)
        {
            Interlocked.Increment(ref _opened);
            return true;
        }
        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Closed() => Interlocked.Decrement(ref _count);
}
