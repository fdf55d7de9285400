using System.Text;

namespace VMess.ProxyProtocols.Tests.Support;

internal static class Bytes
{
    /// <summary>"05 01 00" → bytes; spaces between bytes are optional.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>The input cut in two at every position, and one byte at a time.</summary>
    public static IEnumerable<(string Name, byte[][] Pieces)> EverySplit(byte[] input)
    {
        for (var cut = 1; cut < input.Length; cut++) yield return ($"cut at {cut}", [input[..cut], input[cut..]]);
        yield return ("one byte at a time", [.. input.Select(b => new[] { b })]);
    }
}
