using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Crypto;
using VMess.Protocol.Ids;

namespace VMess.Benchmarks.Auth;

/// <summary>
/// AEAD auth id lookup: one pre-keyed AES block (plus a timestamp check) per user, scanned linearly as V2Ray and Xray
/// do. Both cases are worst cases: the match is the last user scanned, and a random auth id scans every user twice
/// (the second pass looks for a clock-skewed known user before giving up).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class UserKeyIndexBenchmarks
{
    private const long Now = 1_700_000_000;

    private readonly UserKeyIndex _index = new();
    private readonly byte[] _lastUserAuthId = new byte[AuthId.Size];
    private readonly byte[] _randomAuthId = new byte[AuthId.Size];

    [Params(1, 1_000, 10_000)]
    public int Users { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var accounts = new VMessAccount[Users];
        for (var i = 0; i < accounts.Length; i++) accounts[i] = new VMessAccount(VMessUserId.NewRandom());
        _index.Replace(accounts, Now);

        // The last user in scan order, whatever order the index keeps.
        var last = _index.Accounts[^1];
        var random = new Random(20240601);
        var random4 = new byte[4];
        random.NextBytes(random4);
        AuthId.Create(new AuthIdCipher(last.Id.CmdKey()), Now, random4, _lastUserAuthId);
        random.NextBytes(_randomAuthId);

        if (_index.MatchAead(_lastUserAuthId, Now).User?.Account != last)
            throw new InvalidOperationException("The last user's auth id did not match it.");
        if (_index.MatchAead(_randomAuthId, Now).Error != DecodeError.UnknownUser)
            throw new InvalidOperationException("The random auth id matched a user.");
    }

    [Benchmark(Description = "MatchAead: last user")]
    public AuthMatch MatchLastUser() => _index.MatchAead(_lastUserAuthId, Now);

    [Benchmark(Description = "MatchAead: no user (random 16 B)")]
    public AuthMatch MatchNoUser() => _index.MatchAead(_randomAuthId, Now);
}
