using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using VMess.Protocol.Crypto;

namespace VMess.Benchmarks.Crypto;

/// <summary>
/// VMess's nested HMAC-SHA256 KDF. One path element is the auth id key and the response keys; three (label, auth id,
/// connection nonce) is what each of the four request-header derivations costs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class KdfBenchmarks
{
    private readonly byte[] _key = new byte[16];
    private readonly byte[] _authId = new byte[AuthId.Size];
    private readonly byte[] _nonce = new byte[AeadHeaderCipher.ConnectionNonceSize];
    private readonly byte[] _destination = new byte[Kdf.OutputSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240602);
        random.NextBytes(_key);
        random.NextBytes(_authId);
        random.NextBytes(_nonce);
    }

    [Benchmark(Description = "Kdf.Derive, 1 path element")]
    public byte DeriveOneElement()
    {
        Kdf.Derive(_key, _destination, KdfSalts.AuthIdEncryptionKey);
        return _destination[0];
    }

    [Benchmark(Description = "Kdf.Derive, 3 path elements (AEAD header)")]
    public byte DeriveThreeElements()
    {
        Kdf.Derive(_key, _destination, KdfSalts.VMessHeaderPayloadAeadKey, _authId, _nonce);
        return _destination[0];
    }
}
