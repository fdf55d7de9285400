using System.Security.Cryptography;

namespace VMess.Protocol.Ids;

/// <summary>A VMess user id: a UUID whose 16 bytes (RFC 4122 order) key everything else.</summary>
public readonly record struct VMessUserId(Guid Value)
{
    public const int Size = 16;

    public static VMessUserId Parse(string text) => new(Guid.Parse(text));

    public static bool TryParse(string? text, out VMessUserId id)
    {
        // V2Ray accepts the 36-character form only (with or without braces is not accepted either).
        if (text is { Length: 36 } && Guid.TryParseExact(text, "D", out var guid))
        {
            id = new VMessUserId(guid);
            return true;
        }
        id = default;
        return false;
    }

    public static VMessUserId FromBytes(ReadOnlySpan<byte> bytes) => new(new Guid(bytes[..Size], bigEndian: true));

    public static VMessUserId NewRandom() => new(Guid.NewGuid());

    public void WriteBytes(Span<byte> destination) => Value.TryWriteBytes(destination, bigEndian: true, out _);

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        WriteBytes(bytes);
        return bytes;
    }

    /// <summary>cmdKey = MD5(id bytes ‖ "c48619fe-8f02-49e0-b9e9-edf763e17e21").</summary>
    public void WriteCmdKey(Span<byte> destination16)
    {
        Span<byte> input = stackalloc byte[Size + 36];
        WriteBytes(input);
        "c48619fe-8f02-49e0-b9e9-edf763e17e21"u8.CopyTo(input[Size..]);
        MD5.HashData(input, destination16);
    }

    public byte[] CmdKey()
    {
        var key = new byte[16];
        WriteCmdKey(key);
        return key;
    }

    public override string ToString() => Value.ToString("D");
}
