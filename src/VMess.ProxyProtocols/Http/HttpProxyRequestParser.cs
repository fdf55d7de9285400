using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace VMess.ProxyProtocols.Http;

/// <summary>
/// Reads the head of a request sent to an HTTP proxy: CONNECT host:port, or a plain request with an absolute URI
/// (or, when transparent forwarding is allowed, an origin-form one and its Host header). Checks V2Ray's order:
/// a head that cannot be read, then Basic Proxy-Authorization, then the destination.
/// <para>
/// A plain request's head is rewritten for the server: origin-form request line, Host from the URI, hop-by-hop
/// headers removed as V2Ray removes them, and <c>Connection: close</c>. Unlike V2Ray, which re-reads each response
/// to keep the client's connection alive for the next request, this proxy passes bytes through untouched, so one
/// client connection carries one request: the server closes after its response, and the client sees that close.
/// The body (and anything after it) follows the head unchanged, so the framing headers (Content-Length,
/// Transfer-Encoding) are always kept, even when Connection names them.
/// </para>
/// </summary>
public static class HttpProxyRequestParser
{
    private static readonly string[] HopByHopHeaders =
        ["Host", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailers", "Upgrade", "Connection", "Keep-Alive"];

    private static readonly string[] FramingHeaders = ["Host", "Content-Length", "Transfer-Encoding"];

    /// <summary>
    /// Parses the head at the start of <paramref name="source"/>. <see cref="OperationStatus.NeedMoreData"/> (nothing
    /// consumed) until the empty line that ends it arrives; <see cref="OperationStatus.Done"/> with the head's length in
    /// <paramref name="bytesConsumed"/> (what follows belongs to the destination); <see cref="OperationStatus.InvalidData"/>
    /// with <paramref name="error"/>, whose answer is <see cref="HttpProxyResponses.For"/>.
    /// </summary>
    public static OperationStatus Parse(ReadOnlySpan<byte> source, HttpProxyOptions options, out HttpProxyHead? head,
        out int bytesConsumed, out HttpProxyError error)
    {
        head = null;
        bytesConsumed = 0;
        var length = HttpRequestHead.FindEnd(source, options.MaxHeadSize);
        if (length < 0)
        {
            error = source.Length >= options.MaxHeadSize ? HttpProxyError.HeadTooLarge : HttpProxyError.None;
            return error == HttpProxyError.None ? OperationStatus.NeedMoreData : OperationStatus.InvalidData;
        }
        var bytes = source[..length];
        var request = HttpRequestHead.Parse(bytes, out error);
        if (request is null) return OperationStatus.InvalidData;

        string? user = null;
        if (!options.Accounts.IsEmpty && !TryAuthenticate(bytes, request, options.Accounts, out user))
        {
            error = HttpProxyError.AuthenticationRequired;
            return OperationStatus.InvalidData;
        }

        var target = bytes[request.TargetRange];
        var isConnect = request.Method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase);
        ReadOnlySpan<byte> authority;
        ReadOnlySpan<byte> path = default;
        ushort defaultPort = 80;
        if (isConnect)
        {
            // V2Ray dials port 80 for a CONNECT target without a port.
            if (target[0] == (byte)'/')
            {
                error = HttpProxyError.MalformedRequestLine;
                return OperationStatus.InvalidData;
            }
            authority = target;
        }
        else if (target[0] is (byte)'/' or (byte)'*')
        {
            if (!options.AllowTransparent)
            {
                error = HttpProxyError.NotAProxyRequest;
                return OperationStatus.InvalidData;
            }
            if (request.Find("Host") is not { } host)
            {
                error = HttpProxyError.MissingHost;
                return OperationStatus.InvalidData;
            }
            authority = bytes[host];
            path = target;
        }
        else if (!TrySplitAbsoluteUri(target, out authority, out path, out defaultPort, out error))
        {
            return OperationStatus.InvalidData;
        }

        var destination = HttpHost.Parse(authority, defaultPort);
        if (destination is null)
        {
            error = HttpProxyError.InvalidHost;
            return OperationStatus.InvalidData;
        }
        var proxyRequest = new ProxyRequest(destination, ProxyCommand.Connect, user);
        head = isConnect
            ? new HttpProxyHead(proxyRequest, true, HttpProxyResponses.ConnectionEstablished, ReadOnlyMemory<byte>.Empty)
            : new HttpProxyHead(proxyRequest, false, ReadOnlyMemory<byte>.Empty, Rewrite(bytes, request, authority, path));
        bytesConsumed = length;
        error = HttpProxyError.None;
        return OperationStatus.Done;
    }

    // "scheme://[userinfo@]authority[/path][?query][#fragment]" for http and https; the path is what follows the authority.
    private static bool TrySplitAbsoluteUri(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> authority, out ReadOnlySpan<byte> path,
        out ushort defaultPort, out HttpProxyError error)
    {
        authority = default;
        path = default;
        defaultPort = 80;
        var schemeEnd = target.IndexOf("://"u8);
        if (schemeEnd <= 0)
        {
            error = HttpProxyError.MalformedRequestLine;
            return false;
        }
        var scheme = Encoding.ASCII.GetString(target[..schemeEnd]);
        if (scheme.Equals("https", StringComparison.OrdinalIgnoreCase)) defaultPort = 443;
        else if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            error = HttpProxyError.UnsupportedScheme;
            return false;
        }
        var rest = target[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny("/?#"u8);
        if (authorityEnd < 0) authorityEnd = rest.Length;
        authority = rest[..authorityEnd];
        authority = authority[(authority.LastIndexOf((byte)'@') + 1)..];
        path = rest[authorityEnd..];
        error = HttpProxyError.None;
        return true;
    }

    private static bool TryAuthenticate(ReadOnlySpan<byte> bytes, HttpRequestHead request, ProxyAccounts accounts, out string? user)
    {
        user = null;
        if (request.Find("Proxy-Authorization") is not { } header) return false;
        var value = bytes[header];
        if (!value.StartsWith("Basic "u8)) return false;
        var encoded = value["Basic ".Length..];
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) != OperationStatus.Done) return false;
        var credentials = decoded.AsSpan(0, written);
        var colon = credentials.IndexOf((byte)':');
        if (colon < 0) return false;
        var name = Encoding.UTF8.GetString(credentials[..colon]);
        if (!accounts.Accepts(name, credentials[(colon + 1)..])) return false;
        user = name;
        return true;
    }

    private static byte[] Rewrite(ReadOnlySpan<byte> bytes, HttpRequestHead request, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path)
    {
        var removed = new HashSet<string>(HopByHopHeaders, StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            if (!header.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var token in Encoding.ASCII.GetString(bytes[header.Value]).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!FramingHeaders.Contains(token, StringComparer.OrdinalIgnoreCase)) removed.Add(token);
            }
        }

        var fragment = path.IndexOf((byte)'#');
        if (fragment >= 0) path = path[..fragment];
        var output = new ArrayBufferWriter<byte>(bytes.Length + 64);
        Write(output, Encoding.ASCII.GetBytes(request.Method));
        Write(output, " "u8);
        if (path.IsEmpty || path[0] == (byte)'?') Write(output, "/"u8);
        Write(output, path);
        Write(output, " HTTP/1.1\r\nHost: "u8);
        Write(output, authority);
        Write(output, "\r\n"u8);
        foreach (var header in request.Headers)
        {
            if (removed.Contains(header.Name)) continue;
            Write(output, bytes[header.Line]);
            Write(output, "\r\n"u8);
        }
        Write(output, "Connection: close\r\n\r\n"u8);
        return output.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
