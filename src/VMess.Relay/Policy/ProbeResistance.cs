using System.Security.Cryptography;
using VMess.Protocol;
using VMess.Protocol.Ids;

namespace VMess.Relay.Policy;

/// <summary>
/// How much a rejected connection is read before it is closed. Like V2Ray, a server-fixed base of 54..3373 bytes
/// plus a per-connection roll below a server-fixed bound (so 54..3382 in all), so a prober sees the same behaviour
/// for every kind of bad input and cannot tell where the check failed. The server-fixed part comes from the user
/// ids, so every node of a cluster with the same users behaves alike.
/// </summary>
public sealed class ProbeResistance
{
    private readonly IRandomSource _random;

    public ProbeResistance(IEnumerable<VMessUserId> users, IRandomSource random)
    {
        _random = random;
        var seeded = new Random(SeedOf(users));
        BaseDrainBytes = 16 + 38 + seeded.Next(3266);
        DrainSpread = seeded.Next(64) + 1;
    }

    public int BaseDrainBytes { get; }

    public int DrainSpread { get; }

    /// <summary>Total bytes to read from one rejected connection, counting what it already sent.</summary>
    public int NextDrainBytes() => BaseDrainBytes + _random.Next(DrainSpread);

    private static int SeedOf(IEnumerable<VMessUserId> users)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, "VMess.Cluster drain seed"u8);
        foreach (var id in users.OrderBy(u => u.ToString(), StringComparer.Ordinal)) hmac.AppendData(id.ToBytes());
        Span<byte> digest = stackalloc byte[32];
        hmac.GetHashAndReset(digest);
        return BitConverter.ToInt32(digest);
    }
}
