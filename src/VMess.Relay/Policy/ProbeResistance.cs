using System.Security.Cryptography;
using VMess.Protocol.Ids;

namespace VMess.Relay.Policy;

/// <summary>
/// How much a rejected connection is read before it is closed. Like V2Ray, a server-fixed base of 54..3319 bytes
/// plus a per-connection roll below a server-fixed spread of 1..64 (so 54..3382 in all), so a prober sees the same
/// behaviour for every kind of bad input and cannot tell where the check failed. The server-fixed part comes from
/// the user ids, so every node of a cluster with the same users behaves alike; the session stage rolls the rest.
/// </summary>
public sealed record ProbeResistance(int BaseDrainBytes, int DrainSpread)
{
    public const int MinDrainBytes = 16 + 38;
    public const int MaxDrainBytes = MinDrainBytes + 3265 + 63;

    public static ProbeResistance For(IEnumerable<VMessUserId> users)
    {
        var seeded = new Random(SeedOf(users));
        return new ProbeResistance(MinDrainBytes + seeded.Next(3266), seeded.Next(64) + 1);
    }

    private static int SeedOf(IEnumerable<VMessUserId> users)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, "VMess.Cluster drain seed"u8);
        foreach (var id in users.OrderBy(u => u.ToString(), StringComparer.Ordinal)) hmac.AppendData(id.ToBytes());
        Span<byte> digest = stackalloc byte[32];
        hmac.GetHashAndReset(digest);
        return BitConverter.ToInt32(digest);
    }
}
