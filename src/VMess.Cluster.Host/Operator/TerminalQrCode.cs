using System.Text;
using QRCoder;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// A QR code drawn with Unicode half blocks, two module rows per line, for a phone to scan off the terminal. QRCoder
/// encodes (error correction L: the smallest code, a screen does not smudge). Light modules are drawn and dark ones
/// left blank, as on a terminal with a dark background; <c>invert</c> draws the dark ones instead, for a light one.
/// </summary>
internal static class TerminalQrCode
{
    /// <summary>Light modules around the code: the standard asks for 4; 2 scan reliably off a screen and save room.</summary>
    public const int QuietZone = 2;

    public static string Render(string text, bool invert = false)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.L);
        var dark = DarkModules(data);
        var size = dark.GetLength(0);
        var drawn = new StringBuilder();
        for (var row = 0; row < size; row += 2)
        {
            for (var column = 0; column < size; column++)
            {
                var top = dark[row, column] == invert;
                var bottom = row + 1 < size && dark[row + 1, column] == invert;
                drawn.Append((top, bottom) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }
            drawn.Append('\n');
        }
        return drawn.ToString();
    }

    /// <summary>The code's modules with <see cref="QuietZone"/> light ones around them (QRCoder's matrix carries a zone of 4).</summary>
    private static bool[,] DarkModules(QRCodeData data)
    {
        const int encoderZone = 4;
        var matrix = data.ModuleMatrix;
        var codeSize = matrix.Count - 2 * encoderZone;
        var size = codeSize + 2 * QuietZone;
        var dark = new bool[size, size];
        for (var row = 0; row < codeSize; row++)
        {
            for (var column = 0; column < codeSize; column++)
            {
                dark[row + QuietZone, column + QuietZone] = matrix[row + encoderZone][column + encoderZone];
            }
        }
        return dark;
    }
}
