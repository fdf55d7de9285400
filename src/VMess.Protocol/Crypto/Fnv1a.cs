namespace VMess.Protocol.Crypto;

/// <summary>FNV-1a 32-bit: the request header checksum, the legacy chunk authenticator and the command checksum.</summary>
public static class Fnv1a
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static uint Hash(ReadOnlySpan<byte> data)
    {
        var hash = OffsetBasis;
        foreach (var b in data)
        {
            hash = (hash ^ b) * Prime;
        }
        return hash;
    }
}
