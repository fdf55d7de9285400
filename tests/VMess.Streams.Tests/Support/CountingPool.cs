using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// An <see cref="ArrayPool{T}"/> that knows which arrays are out, so a spec can check that every chunk a stage
/// rented went back exactly once (a leak or a double return is a bug in who owns a chunk).
/// </summary>
internal sealed class CountingPool : ArrayPool<byte>
{
    private readonly ArrayPool<byte> _inner = Create();
    private readonly ConditionalWeakTable<byte[], object> _out = new();
    private readonly ConcurrentDictionary<int, int> _doubleReturns = new();
    private int _outstanding;
    private int _rented;

    /// <summary>Arrays rented and not yet returned.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Arrays rented so far.</summary>
    public int Rented => Volatile.Read(ref _rented);

    /// <summary>Returns of arrays that were not out (returned twice, or never rented here).</summary>
    public int BadReturns => _doubleReturns.Count;

    public override byte[] Rent(int minimumLength)
    {
        var array = _inner.Rent(Math.Max(1, minimumLength)); // Rent(0) would hand out the shared empty array
        _out.AddOrUpdate(array, this);
        Interlocked.Increment(ref _outstanding);
        Interlocked.Increment(ref _rented);
        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        if (!_out.Remove(array))
        {
            _doubleReturns.TryAdd(RuntimeHelpers.GetHashCode(array), 0);
            return;
        }
        Interlocked.Decrement(ref _outstanding);
        _inner.Return(array, clearArray);
    }
}
