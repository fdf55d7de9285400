using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;

namespace VMess.Benchmarks.Body;

/// <summary>
/// Opening one body chunk with a long-lived decoder. A decoder only accepts the chunk its counter and streams
/// expect next, so the same chunk cannot be opened twice: the global setup encodes
/// <see cref="ChunksPerIteration"/> consecutive chunks once, each iteration starts a fresh decoder (not measured,
/// nor counted by the memory diagnoser) and every invocation opens the next chunk.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
[InvocationCount(ChunksPerIteration, unrollFactor: 1)]
public class ChunkOpenBenchmarks
{
    private const int ChunksPerIteration = 1024;

    private BodyKeys _keys;
    private ChunkDecoder? _decoder;
    private byte[] _stream = [];
    private byte[] _payload = [];
    private int _chunkLength;
    private int _offset;

    [Params(SecurityType.Aes128Gcm, SecurityType.ChaCha20Poly1305, SecurityType.Legacy, SecurityType.None)]
    public SecurityType Security { get; set; }

    [Params(1024, 16384)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = ChunkBenchmarkData.Keys();
        var payload = ChunkBenchmarkData.Payload(PayloadSize);
        using var encoder = ChunkBenchmarkData.Encoder(Security, _keys);
        _chunkLength = encoder.GetMaxEncodedLength(PayloadSize);
        _stream = new byte[_chunkLength * ChunksPerIteration];
        for (var i = 0; i < ChunksPerIteration; i++)
        {
            if (encoder.Encode(payload, _stream.AsSpan(i * _chunkLength)) != _chunkLength)
                throw new InvalidOperationException("The payload did not go into exactly one chunk.");
        }
        _payload = new byte[PayloadSize];

        // Open the whole stream, so a broken setup fails here instead of timing failures; and keep opening it for
        // a while. A fixed invocation count skips BenchmarkDotNet's pilot and jitting stages, and the short warm-up
        // iterations alone can end before tiered compilation has promoted the decoder (a first run measured
        // Legacy 1 KiB at ~21 µs in some iterations and ~5 µs in others).
        var warm = Stopwatch.StartNew();
        do
        {
            IterationSetup();
            for (var i = 0; i < ChunksPerIteration; i++)
            {
                if (Open() != PayloadSize || !_payload.AsSpan().SequenceEqual(payload))
                    throw new InvalidOperationException($"Chunk {i} did not open to the payload.");
            }
            IterationCleanup();
        } while (warm.Elapsed < TimeSpan.FromMilliseconds(500));
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _decoder = ChunkBenchmarkData.Decoder(Security, _keys);
        _offset = 0;
    }

    [IterationCleanup]
    public void IterationCleanup() => _decoder?.Dispose();

    [Benchmark(Description = "ChunkDecoder.Decode, one chunk")]
    public int Open()
    {
        var status = _decoder!.Decode(_stream.AsSpan(_offset, _chunkLength), _payload, out var consumed, out var written,
            out _, out _);
        _offset += consumed;
        return status == OperationStatus.Done ? written : -1;
    }
}
