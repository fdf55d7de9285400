namespace VMess.Relay.Inbound;

/// <summary>How many connections an inbound holds; the listener counts in, each connection actor counts itself out.</summary>
public sealed class ConnectionCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryOpen(int limit)
    {
        if (Interlocked.Increment(ref _count) <= limit) return true;
        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Closed() => Interlocked.Decrement(ref _count);
}
