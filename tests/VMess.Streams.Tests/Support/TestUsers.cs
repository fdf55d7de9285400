using Microsoft.Extensions.Time.Testing;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using VMess.Streams.Stages;
using VMess.Testing;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// One AEAD user (alterId 0) and one legacy user (alterId 4), known to a server whose clock stands at <see cref="Now"/>.
/// </summary>
internal static class TestUsers
{
    public const long Now = 1_700_000_000;
    public const ushort LegacyAlterId = 4;

    public static readonly VMessUserId AeadId = VMessUserId.Parse("6f3c1a52-29d4-4c3e-9b0a-1d2e3f405162");
    public static readonly VMessUserId LegacyId = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");

    /// <summary>Every security a request can name on the wire.</summary>
    public static readonly SecurityType[] WireSecurities =
        [SecurityType.Aes128Gcm, SecurityType.ChaCha20Poly1305, SecurityType.None, SecurityType.Legacy];

    public static TheoryData<ushort, SecurityType> EveryUserAndSecurity()
    {
        var data = new TheoryData<ushort, SecurityType>();
        foreach (var alterId in new ushort[] { 0, LegacyAlterId })
        {
            foreach (var security in WireSecurities) data.Add(alterId, security);
        }
        return data;
    }

    public static ClientAccount Account(ushort alterId, SecurityType security) =>
        new(alterId == 0 ? AeadId : LegacyId, alterId, security);

    /// <summary>A fresh index of both users (a failed legacy header taints its hash in the index, so no sharing).</summary>
    public static UserKeyIndex Index()
    {
        var index = new UserKeyIndex();
        index.Replace([new VMessAccount(AeadId, 0, Email: "aead@test"), new VMessAccount(LegacyId, LegacyAlterId, Email: "legacy@test")], Now);
        return index;
    }

    public static ServerSessionSettings Settings(CountingPool pool, int drainBytes = 0, ServerReplayGuard? replay = null,
        int responseChunkSize = 2048) =>
        new(Index(), replay ?? new ServerReplayGuard(), new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)),
            new SeededRandomSource(99), pool, responseChunkSize, drainBytes);
}
