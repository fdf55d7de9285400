using System.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// How a <see cref="SocketStage"/> reads: from which pool and how much at a time once data flows. A connected UDP
/// socket (known by its type when attached) gets one element per datagram, no zero-byte reads and no half-close.
/// </summary>
public sealed record SocketStageSettings(ArrayPool<byte> Pool, int ReadBufferSize);
