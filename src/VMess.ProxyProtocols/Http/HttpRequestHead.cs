using System.Text;

namespace VMess.ProxyProtocols.Http;

/// <summary>
/// The syntax of an HTTP/1.x request head, read over the caller's bytes (offsets, no copies of the head): the
/// request line and each header's name and value. Lines end in CRLF or, as Go's reader takes them, a bare LF.
/// Obsolete line folding, a space before the colon and control characters are malformed (RFC 9112 lets a server refuse them).
/// </summary>
internal sealed class HttpRequestHead
{
    private readonly List<Header> _headers = [];

    private HttpRequestHead(string method, string target, Range targetRange)
    {
        Method = method;
        Target = target;
        TargetRange = targetRange;
    }

    public string Method { get; }

    public string Target { get; }

    public Range TargetRange { get; }

    public IReadOnlyList<Header> Headers => _headers;

    /// <summary>One header: the whole line without its line end, and where its trimmed value starts and ends.</summary>
    public readonly record struct Header(string Name, Range Line, Range Value);

    /// <summary>
    /// The length of the head, its empty line included, when it ends within the first <paramref name="limit"/> bytes;
    /// -1 when it does not (yet).
    /// </summary>
    public static int FindEnd(ReadOnlySpan<byte> source, int limit)
    {
        var window = source[..Math.Min(source.Length, limit)];
        var lineStart = 0;
        while (true)
        {
            var newline = window[lineStart..].IndexOf((byte)'\n');
            if (newline < 0) return -1;
            var lineEnd = lineStart + newline;
            var length = lineEnd - lineStart;
            if ((length == 0 || (length == 1 && window[lineStart] == (byte)'\r')) && lineStart > 0) return lineEnd + 1;
            lineStart = lineEnd + 1;
        }
    }

    /// <summary>Parses a whole head (as <see cref="FindEnd"/> found it); null with <paramref name="error"/> when malformed.</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head, out HttpProxyError error)
    {
        error = HttpProxyError.MalformedRequestLine;
        var requestLine = NextLine(head, 0, out var next);
        var firstSpace = head[requestLine].IndexOf((byte)' ');
        if (firstSpace <= 0) return null;
        var methodBytes = head[requestLine][..firstSpace];
        var rest = requestLine.Start.Value + firstSpace + 1;
        var secondSpace = head[rest..requestLine.End].IndexOf((byte)' ');
        if (secondSpace <= 0 || !IsToken(methodBytes)) return null;
        var targetRange = rest..(rest + secondSpace);
        var target = head[targetRange];
        foreach (var c in target)
        {
            if (c <= 0x20 || c == 0x7F) return null;
        }
        var version = head[(rest + secondSpace + 1)..requestLine.End];
        if (!version.StartsWith("HTTP/"u8)) return null;
        if (!version.SequenceEqual("HTTP/1.1"u8) && !version.SequenceEqual("HTTP/1.0"u8))
        {
            error = HttpProxyError.UnsupportedVersion;
            return null;
        }
        var result = new HttpRequestHead(Encoding.ASCII.GetString(methodBytes), Encoding.ASCII.GetString(target), targetRange);

        error = HttpProxyError.MalformedHeader;
        while (true)
        {
            var line = NextLine(head, next, out next);
            var bytes = head[line];
            if (bytes.IsEmpty) break;
            var colon = bytes.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(bytes[..colon])) return null;
            var valueStart = colon + 1;
            var valueEnd = bytes.Length;
            while (valueStart < valueEnd && bytes[valueStart] is (byte)' ' or (byte)'\t') valueStart++;
            while (valueEnd > valueStart && bytes[valueEnd - 1] is (byte)' ' or (byte)'\t') valueEnd--;
            foreach (var c in bytes[valueStart..valueEnd])
            {
                if ((c < 0x20 && c != (byte)'\t') || c == 0x7F) return null;
            }
            var offset = line.Start.Value;
            result._headers.Add(new Header(Encoding.ASCII.GetString(bytes[..colon]), line, (offset + valueStart)..(offset + valueEnd)));
        }
        error = HttpProxyError.None;
        return result;
    }

    /// <summary>The first value of <paramref name="name"/> (case-insensitive), or null.</summary>
    public Range? Find(string name)
    {
        foreach (var header in _headers)
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return header.Value;
        }
        return null;
    }

    // The line starting at `start`, without CR LF; `next` is where the following line starts.
    private static Range NextLine(ReadOnlySpan<byte> head, int start, out int next)
    {
        var newline = head[start..].IndexOf((byte)'\n');
        var end = newline < 0 ? head.Length : start + newline;
        next = newline < 0 ? head.Length : end + 1;
        if (end > start && head[end - 1] == (byte)'\r') end--;
        return start..end;
    }

    // RFC 9110 token: visible ASCII except delimiters.
    private static bool IsToken(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return false;
        foreach (var c in bytes)
        {
            if (!(char.IsAsciiLetterOrDigit((char)c) || "!#$%&'*+-.^_`|~"u8.Contains(c))) return false;
        }
        return true;
    }
}
