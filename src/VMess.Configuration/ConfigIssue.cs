namespace VMess.Configuration;

/// <summary>
/// One problem found in a config: where it is (a JSON path such as <c>inbounds[0].settings.clients[2].id</c>,
/// or <c>$</c> for the document as a whole) and what is wrong.
/// </summary>
public sealed record ConfigIssue(string Path, string Message)
{
    /// <summary>The path of the document itself, used for issues that belong to no property.</summary>
    public const string RootPath = "$";

    public override string ToString() => $"{Path}: {Message}";
}
