namespace VMess.Cluster.Host.Operator;

/// <summary>Rows in columns as wide as their widest cell, two spaces apart; numbers right-aligned.</summary>
internal static class TextTable
{
    /// <param name="rightAligned">For each column, whether its cells are right-aligned (numbers).</param>
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<bool> rightAligned, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((header, column) => all.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        WriteRow(output, headers, widths, rightAligned);
        foreach (var row in all) WriteRow(output, row, widths, rightAligned);
    }

    private static void WriteRow(TextWriter output, IReadOnlyList<string> cells, int[] widths, IReadOnlyList<bool> rightAligned)
    {
        var line = string.Join("  ", cells.Select((cell, column) => rightAligned[column] ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column])));
        output.WriteLine(line.TrimEnd());
    }
}
