using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace VMess.Configuration.Validation;

/// <summary>Small shared checks; each reports to the collector and returns a usable value either way.</summary>
internal static class Checks
{
    /// <summary><paramref name="value"/>, or <paramref name="absent"/> when null; out of range is an error.</summary>
    public static long InRange(long? value, long min, long max, long absent, string path, ConfigIssueCollector issues)
    {
        if (value is null)
        {
            return absent;
        }
        if (value < min || value > max)
        {
            issues.Error(path, $"{value} is out of range {min}..{max}");
            return absent;
        }
        return value.Value;
    }

    /// <summary>A decimal integer made of digits only, as Go's <c>strconv.ParseUint(s, 10, …)</c> reads it.</summary>
    public static bool TryParseDigits(string text, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= 18
            && text.All(char.IsAsciiDigit)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Maps "" to null, as V2Ray treats an empty tag, email or path as absent.</summary>
    public static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>"'x'; did you mean 'y'?" or "'x'; expected a, b or c".</summary>
    public static string Unknown(string what, string value, IReadOnlyList<string> expected)
    {
        var nearest = Json.NameSuggester.Nearest(value, expected);
        var hint = nearest is not null && !string.Equals(nearest, value, StringComparison.OrdinalIgnoreCase)
            ? $"did you mean '{nearest}'?"
            : $"expected {OneOf(expected)}";
        return $"unknown {what} '{value}'; {hint}";
    }

    public static string OneOf(IReadOnlyList<string> names) => names.Count == 1
        ? $"'{names[0]}'"
        : string.Join(", ", names.Take(names.Count - 1).Select(n => $"'{n}'")) + $" or '{names[^1]}'";

    /// <summary>A <c>userLevel</c> or <c>level</c>: 0..255 here, absent = 0.</summary>
    public static byte Level(long? value, string path, ConfigIssueCollector issues) =>
        (byte)InRange(value, 0, byte.MaxValue, 0, path, issues);

    /// <summary>
    /// An inbound's <c>timeout</c> in seconds (zero or absent: none). V2Ray 4.34 uses it as the connIdle of the
    /// inbound's connections, and only when <c>userLevel</c> is 0 (proxy/http, proxy/dokodemo: <c>policy()</c>);
    /// otherwise it is ignored, with a warning here, and the result is zero.
    /// </summary>
    public static TimeSpan IdleTimeout(long? seconds, byte userLevel, string path, ConfigIssueCollector issues)
    {
        var value = InRange(seconds, 0, uint.MaxValue, 0, path, issues);
        if (value > 0 && userLevel != 0)
        {
            issues.Warning(path, $"ignored, as V2Ray ignores it when userLevel is not 0: set connIdle in policy.levels[\"{userLevel}\"] instead");
            return TimeSpan.Zero;
        }
        return TimeSpan.FromSeconds(value);
    }

    /// <summary>
    /// An IPv4 address in dotted-quad form or an IPv6 address. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
    /// also takes forms such as "1" or "127.1"; Go's <c>net.ParseIP</c>, which V2Ray uses, does not.
    /// </summary>
    public static bool TryParseIp(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var looksLikeIp = text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;
        return looksLikeIp && IPAddress.TryParse(text, out address)
            && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
    }

    /// <summary>
    /// A destination host as V2Ray's <c>net.ParseAddress</c> takes it: an IP address (an IPv6 one may be in brackets)
    /// or a domain name. Returns the address as text, an IP in its usual form, or null after reporting the problem.
    /// </summary>
    public static string? Host(string? text, string path, string required, ConfigIssueCollector issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            issues.Missing(path, required);
            return null;
        }
        var unbracketed = text.Length > 2 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;
        if (TryParseIp(unbracketed, out var ip))
        {
            return (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
        }
        if (IsDomainName(text))
        {
            return text;
        }
        issues.Error(path, $"'{text}' is neither an IP address nor a domain name");
        return null;
    }

    /// <summary>Dot-separated labels of letters, digits, '-' and '_', at most 253 characters; not all digits.</summary>
    private static bool IsDomainName(string text)
    {
        var name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length is 0 or > 253)
        {
            return false;
        }
        var labels = name.Split('.');
        return labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-'
                && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            && !labels.All(l => l.All(char.IsAsciiDigit)); // "1.2.3.999" is a broken IP, not a name
    }
}
