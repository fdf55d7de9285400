using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using VMess.Protocol.Crypto;

namespace VMess.Benchmarks.Crypto;

/// <summary>
/// The AEAD request header, sealed (client side) and opened (server side: the sealed length, then the header), for a
/// 60-byte header — about an IPv4/domain request header with a little padding. Each half runs 4 three-element KDFs
/// and 2 AES-GCM operations with a fresh key.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class AeadHeaderCipherBenchmarks
{
    private const int HeaderLength = 60;

    private readonly byte[] _cmdKey = new byte[16];
    private readonly byte[] _authId = new byte[AuthId.Size];
    private readonly byte[] _nonce = new byte[AeadHeaderCipher.ConnectionNonceSize];
    private readonly byte[] _header = new byte[HeaderLength];
    private readonly byte[] _sealed = new byte[AeadHeaderCipher.GetSealedSize(HeaderLength)];
    private readonly byte[] _sealDestination = new byte[AeadHeaderCipher.GetSealedSize(HeaderLength)];
    private readonly byte[] _opened = new byte[HeaderLength];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240603);
        random.NextBytes(_cmdKey);
        random.NextBytes(_nonce);
        random.NextBytes(_header);
        var random4 = new byte[4];
        random.NextBytes(random4);
        AuthId.Create(new AuthIdCipher(_cmdKey), 1_700_000_000, random4, _authId);
        AeadHeaderCipher.Seal(_cmdKey, _authId, _nonce, _header, _sealed);

        if (Open() != HeaderLength || !_opened.AsSpan().SequenceEqual(_header))
            throw new InvalidOperationException("The sealed header did not open to the original.");
    }

    [Benchmark(Description = "AeadHeaderCipher.Seal, 60 B header")]
    public int Seal() => AeadHeaderCipher.Seal(_cmdKey, _authId, _nonce, _header, _sealDestination);

    [Benchmark(Description = "AeadHeaderCipher open (TryOpenLength + TryOpenHeader), 60 B header")]
    public int Open()
    {
        ReadOnlySpan<byte> preamble = _sealed.AsSpan(0, AeadHeaderCipher.PreambleSize);
        if (!AeadHeaderCipher.TryOpenLength(_cmdKey, preamble, out var length)) return -1;
        var sealedHeader = _sealed.AsSpan(AeadHeaderCipher.PreambleSize, length + AeadHeaderCipher.TagSize);
        return AeadHeaderCipher.TryOpenHeader(_cmdKey, preamble, sealedHeader, _opened) ? length : -1;
    }
}
