using System.Security.Cryptography;

namespace VMess.Protocol.Ids;

/// <summary>
/// The legacy alter ids, derived deterministically from the primary id as V2Ray's <c>NewAlterIDs</c> does:
/// each id is MD5(previous ‖ "16167dc8-16b6-4e6d-b8bb-65dd68113a81"), re-hashed with an extra salt while it
/// equals its input.
/// </summary>
public static class AlterIdChain
{
    public static VMessUserId[] Derive(VMessUserId primary, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ids = new VMessUserId[count];
        var previous = primary;
        for (var i = 0; i < count; i++)
        {
            previous = Next(previous);
            ids[i] = previous;
        }
        return ids;
    }

    private static VMessUserId Next(VMessUserId id)
    {
        Span<byte> current = stackalloc byte[VMessUserId.Size];
        id.WriteBytes(current);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(current);
        md5.AppendData("16167dc8-16b6-4e6d-b8bb-65dd68113a81"u8);
        Span<byte> next = stackalloc byte[VMessUserId.Size];
        while (true)
        {
            md5.GetCurrentHash(next);
            if (!next.SequenceEqual(current))
            {
                return VMessUserId.FromBytes(next);
            }
            md5.AppendData("533eff8a-4113-4b10-b5ce-0f5d76b98cd2"u8);
        }
    }
}
