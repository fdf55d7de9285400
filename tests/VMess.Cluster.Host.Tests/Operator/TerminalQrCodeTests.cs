using VMess.Cluster.Host.Operator;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary>The QR code drawn with half blocks reads back (ZXing, from the drawn characters) as the text it encodes.</summary>
public sealed class TerminalQrCodeTests
{
    private const string Link = "vmess://eyJ2IjoiMiIsInBzIjoiYWxpY2VAZXhhbXBsZS5jb20iLCJhZGQiOiIxMjcuMC4wLjEiLCJwb3J0IjoiMTAwODYiLCJpZCI6ImY3YzIyZTUyLTg5MzQtNDViOS05YjcwLTc2YjE1NjU2YzIwNiIsImFpZCI6IjAiLCJzY3kiOiJhdXRvIiwibmV0IjoidGNwIiwidHlwZSI6Im5vbmUiLCJob3N0IjoiIiwicGF0aCI6IiIsInRscyI6IiJ9";

    [Fact]
    public void Render_should_draw_a_code_that_decodes_to_the_text()
    {
        var drawn = TerminalQrCode.Render(Link);

        Assert.Equal(Link, Decode(drawn, lightIsDrawn: true));
    }

    [Fact]
    public void Render_inverted_should_draw_a_code_that_decodes_to_the_text()
    {
        var drawn = TerminalQrCode.Render(Link, invert: true);

        Assert.Equal(Link, Decode(drawn, lightIsDrawn: false));
    }

    [Fact]
    public void Render_should_draw_two_module_rows_per_line_with_a_quiet_zone_drawn_around()
    {
        var lines = TerminalQrCode.Render(Link).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var size = lines[0].Length;
        Assert.Equal((size + 1) / 2, lines.Length);
        Assert.All(lines, line => Assert.Equal(size, line.Length));
        Assert.Equal(new string('█', size), lines[0]);
        Assert.All(lines[..^1], line => Assert.True(line[0] == '█' && line[^1] == '█', line));
    }

    /// <summary>The drawn characters back into modules, each 4×4 grey pixels, for ZXing's QR reader.</summary>
    private static string Decode(string drawn, bool lightIsDrawn)
    {
        const int scale = 4;
        var lines = drawn.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var size = lines[0].Length;
        var pixels = new byte[size * scale * size * scale];
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
            {
                var glyph = lines[row / 2][column];
                var drawnHalf = glyph == '█' || (row % 2 == 0 ? glyph == '▀' : glyph == '▄');
                var light = drawnHalf == lightIsDrawn;
                for (var y = 0; y < scale; y++)
                {
                    pixels.AsSpan((row * scale + y) * size * scale + column * scale, scale).Fill(light ? (byte)255 : (byte)0);
                }
            }
        }
        var source = new RGBLuminanceSource(pixels, size * scale, size * scale, RGBLuminanceSource.BitmapFormat.Gray8);
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)));
        return result?.Text ?? throw new InvalidOperationException("ZXing found no QR code in:\n" + drawn);
    }
}
