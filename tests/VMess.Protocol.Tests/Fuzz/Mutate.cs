namespace VMess.Protocol.Tests.Fuzz;

/// <summary>Byte-level mutations of a valid encoding, each returning a new array.</summary>
internal static class Mutate
{
    private static readonly byte[] Boundaries = [0x00, 0x01, 0x02, 0x03, 0x04, 0x0F, 0x10, 0x7F, 0x80, 0xFE, 0xFF];

    /// <summary>One to three random mutations: flips, boundary bytes, truncation, insertion, deletion, random suffix or tail.</summary>
    public static byte[] Any(Random random, byte[] valid)
    {
        var result = valid;
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++) result = One(random, result);
        return result;
    }

    public static byte[] One(Random random, byte[] input) => random.Next(8) switch
    {
        0 => FlipBits(random, input),
        1 => SetBoundary(random, input),
        2 => Truncate(random, input),
        3 => Insert(random, input),
        4 => Delete(random, input),
        5 => Concat(input, RandomBytes(random, 1 + random.Next(64))),
        6 => ReplaceTail(random, input),
        _ => FlipByte(input, random.Next(Math.Max(input.Length, 1)), (byte)(1 + random.Next(255))),
    };

    /// <summary>The input with byte <paramref name="index"/> XORed with a non-zero <paramref name="mask"/>.</summary>
    public static byte[] FlipByte(byte[] input, int index, byte mask)
    {
        var result = (byte[])input.Clone();
        if (result.Length > 0) result[index] ^= mask;
        return result;
    }

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    private static byte[] FlipBits(Random random, byte[] input)
    {
        var result = (byte[])input.Clone();
        for (var i = 1 + random.Next(4); i > 0 && result.Length > 0; i--) result[random.Next(result.Length)] ^= (byte)(1 << random.Next(8));
        return result;
    }

    private static byte[] SetBoundary(Random random, byte[] input)
    {
        var result = (byte[])input.Clone();
        if (result.Length > 0) result[random.Next(result.Length)] = Boundaries[random.Next(Boundaries.Length)];
        return result;
    }

    private static byte[] Truncate(Random random, byte[] input) => input[..random.Next(input.Length + 1)];

    private static byte[] Insert(Random random, byte[] input)
    {
        var at = random.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. RandomBytes(random, 1 + random.Next(8)), .. input.AsSpan(at)];
    }

    private static byte[] Delete(Random random, byte[] input)
    {
        if (input.Length == 0) return input;
        var at = random.Next(input.Length);
        var count = Math.Min(1 + random.Next(8), input.Length - at);
        return [.. input.AsSpan(0, at), .. input.AsSpan(at + count)];
    }

    private static byte[] ReplaceTail(Random random, byte[] input)
    {
        var at = random.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. RandomBytes(random, random.Next(input.Length - at + 16))];
    }
}
