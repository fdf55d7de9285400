using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;

namespace VMess.Configuration;

/// <summary>
/// A v2rayN share link, <c>vmess://</c> + base64 of a JSON object with v2rayN's version-2 field set:
/// <c>v</c> ("2"), <c>ps</c> (name), <c>add</c>, <c>port</c>, <c>id</c>, <c>aid</c>, <c>scy</c>, <c>net</c>,
/// <c>type</c>, <c>host</c>, <c>path</c>, <c>tls</c>. This node serves plain TCP only, so <see cref="Format"/>
/// always writes net "tcp", type "none" and empty host, path and tls; <see cref="TryParse"/> reads any values.
/// Port and alterId are written as strings, as v2rayN does; both forms are read.
/// </summary>
public sealed record VMessShareLink(
    string Name,
    string Address,
    int Port,
    VMessUserId Id,
    int AlterId,
    string Security,
    string Network = "tcp",
    string HeaderType = "none",
    string Host = "",
    string Path = "",
    string Tls = "")
{
    public const string Scheme = "vmess://";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The link a client imports to reach this node over plain TCP.</summary>
    public static string Format(string name, string address, int port, VMessUserId id, int alterId, string security)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegative(alterId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(alterId, ushort.MaxValue);
        if (!SecurityTypeExtensions.TryParseConfigName(security, out _) || string.IsNullOrEmpty(security))
        {
            throw new ArgumentException($"'{security}' is not a VMess security name.", nameof(security));
        }
        return new VMessShareLink(name, address, port, id, alterId, security).ToLink();
    }

    public string ToLink()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("v", "2");
            json.WriteString("ps", Name);
            json.WriteString("add", Address);
            json.WriteString("port", Port.ToString(CultureInfo.InvariantCulture));
            json.WriteString("id", Id.ToString());
            json.WriteString("aid", AlterId.ToString(CultureInfo.InvariantCulture));
            json.WriteString("scy", Security);
            json.WriteString("net", Network);
            json.WriteString("type", HeaderType);
            json.WriteString("host", Host);
            json.WriteString("path", Path);
            json.WriteString("tls", Tls);
            json.WriteEndObject();
        }
        return Scheme + Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>
    /// Reads a v2rayN link. Takes URL-safe base64 and missing padding too; absent <c>scy</c>, <c>net</c> and
    /// <c>type</c> read as "auto", "tcp" and "none". False for anything else than a version-2 link with an
    /// address, a port and a UUID.
    /// </summary>
    public static bool TryParse(string? link, [NotNullWhen(true)] out VMessShareLink? result)
    {
        result = null;
        if (link is null || !link.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || DecodeBase64(link[Scheme.Length..].Trim()) is not { } bytes)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "v") is not (null or "2")
                || Text(root, "add") is not { Length: > 0 } address
                || !TryNumber(root, "port", 1, 65535, out var port)
                || !VMessUserId.TryParse(Text(root, "id"), out var id)
                || !TryNumber(root, "aid", 0, ushort.MaxValue, out var alterId, absent: 0))
            {
                return false;
            }
            result = new VMessShareLink(
                Text(root, "ps") ?? "",
                address,
                port,
                id,
                alterId,
                Text(root, "scy") is { Length: > 0 } security ? security : "auto",
                Text(root, "net") is { Length: > 0 } network ? network : "tcp",
                Text(root, "type") is { Length: > 0 } type ? type : "none",
                Text(root, "host") ?? "",
                Text(root, "path") ?? "",
                Text(root, "tls") ?? "");
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[]? DecodeBase64(string text)
    {
        var normalized = new StringBuilder(text.Length + 3).Append(text).Replace('-', '+').Replace('_', '/');
        normalized.Append('=', (4 - normalized.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(normalized.ToString());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A string field, or a number's text; null when absent or of another kind.</summary>
    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static bool TryNumber(JsonElement root, string name, int min, int max, out int value, int? absent = null)
    {
        var text = Text(root, name);
        if (string.IsNullOrEmpty(text) && absent is { } fallback)
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
