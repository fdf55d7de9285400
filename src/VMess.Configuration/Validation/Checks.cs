using System.Globalization;

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
}
