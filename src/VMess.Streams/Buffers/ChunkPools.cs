using System.Buffers;

namespace VMess.Streams.Buffers;

/// <summary>
/// The pool every stage of a node rents from. Buffers are rented on one thread and returned on another (a socket
/// completion, then the next stage), which thrashes <see cref="ArrayPool{T}.Shared"/>'s per-thread caches
/// (akka.net#8340), so the node uses one lock-based pool sized for the largest chunk it reads or writes.
/// </summary>
public static class ChunkPools
{
    /// <summary>Largest array the pool keeps: a 64 KiB read plus a VMess chunk's worth of overhead.</summary>
    /// <remarks>32 arrays per size is plenty for the chunks in flight at once; more would only be held after a burst.</remarks>
    public const int MaxPooledLength = 128 * 1024;

    public static ArrayPool<byte> Create(int maxArraysPerBucket = 32) => ArrayPool<byte>.Create(MaxPooledLength, maxArraysPerBucket);
}
