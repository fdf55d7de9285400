using System.Buffers;
using VMess.Protocol;
using VMess.Protocol.Body;

namespace VMess.Streams.Stages;

/// <summary>What one client connection's VMess stage needs: the buffer pool, randomness, a clock, and sizes.</summary>
/// <param name="Clock">Stamps the request's auth and runs the header flush delay.</param>
/// <param name="RequestChunkSize">Largest request chunk written (V2Ray writes 2 KiB; its reader takes up to 64 KiB).</param>
public sealed record ClientSessionSettings(
    ArrayPool<byte> Pool,
    IRandomSource Random,
    TimeProvider Clock,
    int RequestChunkSize = ChunkCodecFactory.DefaultMaxChunkSize)
{
    /// <summary>V2Ray 4.34's client waits this long for the first payload to go out with the request header.</summary>
    public static readonly TimeSpan DefaultHeaderFlushDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long the request header waits for the first payload; after that it goes out alone, so a protocol where
    /// the server speaks first (SMTP, SSH) is not stuck behind a header that waits for the client.
    /// </summary>
    public TimeSpan HeaderFlushDelay { get; init; } = DefaultHeaderFlushDelay;
}
