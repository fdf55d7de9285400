using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;

namespace VMess.Benchmarks.Body;

/// <summary>
/// Sealing one body chunk with a long-lived encoder (one per direction per connection), in steady state: the nonce
/// counter, SHAKE mask and CFB stream move on with every call, as on a real connection.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class ChunkSealBenchmarks
{
    private ChunkEncoder? _encoder;
    private byte[] _payload = [];
    private byte[] _destination = [];

    [Params(SecurityType.Aes128Gcm, SecurityType.ChaCha20Poly1305, SecurityType.Legacy, SecurityType.None)]
    public SecurityType Security { get; set; }

    [Params(1024, 16384)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _encoder = ChunkBenchmarkData.Encoder(Security, ChunkBenchmarkData.Keys());
        _payload = ChunkBenchmarkData.Payload(PayloadSize);
        _destination = new byte[_encoder.GetMaxEncodedLength(PayloadSize)];
        if (_encoder.Encode(_payload, _destination) != _destination.Length)
            throw new InvalidOperationException("The payload did not go into exactly one chunk.");
    }

    [GlobalCleanup]
    public void Cleanup() => _encoder?.Dispose();

    [Benchmark(Description = "ChunkEncoder.Encode, one chunk")]
    public int Seal() => _encoder!.Encode(_payload, _destination);
}
