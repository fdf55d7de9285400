using System.Collections.Immutable;
using System.Text.Json;
using VMess.Configuration.Json;
using VMess.Configuration.Validation;

namespace VMess.Configuration;

/// <summary>
/// Reads a V2Ray 4.x JSON config into validated <see cref="Options.NodeOptions"/>, reporting every error at once.
/// Comments are accepted as V2Ray accepts them (<c>//</c>, <c>/* */</c> and <c>#</c>); trailing commas are accepted
/// too, although V2Ray 4.34 itself rejects them.
/// Three steps, as in V2Ray: parse, bind the DTOs (<see cref="JsonBinder"/>), validate (<see cref="NodeValidator"/>).
/// </summary>
public static class ConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ConfigLoadResult Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var issues = new ConfigIssueCollector();

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(HashCommentStripper.Strip(json), DocumentOptions);
        }
        catch (JsonException e)
        {
            issues.Error(ConfigIssue.RootPath, SyntaxError(e));
            return Result(null, issues);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                issues.Error(ConfigIssue.RootPath, $"expected an object, got {JsonBinder.Describe(document.RootElement)}");
                return Result(null, issues);
            }

            var binder = new JsonBinder(V2RayJsonContext.Default, issues);
            var config = binder.Bind<V2RayConfigJson>(document.RootElement, path: "")!;
            return Result(NodeValidator.Validate(config, binder, issues), issues);
        }
    }

    /// <summary>As <see cref="Load"/>; a missing or unreadable file is an error at the file's path.</summary>
    public static ConfigLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failure(path, "file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Failure(path, $"cannot read the file: {e.Message}");
        }
        return Load(json);
    }

    private static string SyntaxError(JsonException e)
    {
        // The parser's message ends with its own 0-based "LineNumber: n | BytePositionInLine: m."; say it 1-based.
        var reason = e.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            reason = reason[..cut];
        }
        return $"invalid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {reason}";
    }

    private static ConfigLoadResult Failure(string path, string message) =>
        new(null, [new ConfigIssue(path, message)], ImmutableArray<ConfigIssue>.Empty);

    /// <summary>Issues come grouped by where they are, not in the order the binder and validators found them.</summary>
    private static ConfigLoadResult Result(Options.NodeOptions? options, ConfigIssueCollector issues) =>
        new(issues.HasErrors ? null : options, InPathOrder(issues.Errors), InPathOrder(issues.Warnings));

    private static ImmutableArray<ConfigIssue> InPathOrder(ImmutableArray<ConfigIssue> issues) =>
        [.. issues.OrderBy(i => i.Path, IssuePathComparer.Instance)];
}
