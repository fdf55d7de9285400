using System.Buffers.Binary;
using VMess.Registry.Messages;

namespace VMess.Registry.Replay;

/// <summary>
/// AEAD auth ids one node accepted, for the others to refuse: <see cref="EntrySize"/>-byte entries, each the id's 16
/// bytes (big-endian, as on the wire) and its expiry (unix seconds, int64 little-endian). Packed, so a batch of
/// thousands is one array on the wire and in memory.
/// </summary>
public sealed record SeenAuthIds : IUserRegistryMessage
{
    public const int EntrySize = 16 + sizeof(long);

    public SeenAuthIds(byte[] packed)
    {
        if (packed.Length % EntrySize != 0)
            throw new ArgumentException($"Packed auth ids must be a multiple of {EntrySize} bytes, were {packed.Length}.", nameof(packed));
        Packed = packed;
    }

    public byte[] Packed { get; }

    public int Count => Packed.Length / EntrySize;

    public (UInt128 AuthId, long ExpiresAt) this[int index]
    {
        get
        {
            var entry = Packed.AsSpan(index * EntrySize, EntrySize);
            return (BinaryPrimitives.ReadUInt128BigEndian(entry), BinaryPrimitives.ReadInt64LittleEndian(entry[16..]));
        }
    }

    /// <summary>Writes one entry at <paramref name="index"/> of a buffer of whole entries.</summary>
    public static void Write(Span<byte> packed, int index, UInt128 authId, long expiresAt)
    {
        var entry = packed.Slice(index * EntrySize, EntrySize);
        BinaryPrimitives.WriteUInt128BigEndian(entry, authId);
        BinaryPrimitives.WriteInt64LittleEndian(entry[16..], expiresAt);
    }

    public bool Equals(SeenAuthIds? other) => other is not null && Packed.AsSpan().SequenceEqual(other.Packed);

    public override int GetHashCode() => HashCode.Combine(Count, Count > 0 ? this[0].AuthId : UInt128.Zero);

    public override string ToString() => $"SeenAuthIds({Count})";
}
