using System.Collections.Immutable;

namespace VMess.Configuration.Validation;

/// <summary>Collects every error and warning of one load, in the order they are found.</summary>
internal sealed class ConfigIssueCollector
{
    private readonly ImmutableArray<ConfigIssue>.Builder _errors = ImmutableArray.CreateBuilder<ConfigIssue>();
    private readonly ImmutableArray<ConfigIssue>.Builder _warnings = ImmutableArray.CreateBuilder<ConfigIssue>();

    public bool HasErrors => _errors.Count > 0;

    public void Error(string path, string message) => _errors.Add(new ConfigIssue(path, message));

    public void Warning(string path, string message) => _warnings.Add(new ConfigIssue(path, message));

    /// <summary>
    /// Reports a missing value, unless the value was there but of the wrong type: the binder has said so already.
    /// </summary>
    public void Missing(string path, string message)
    {
        if (!_errors.Any(e => e.Path == path))
        {
            Error(path, message);
        }
    }

    public ImmutableArray<ConfigIssue> Errors => _errors.ToImmutable();

    public ImmutableArray<ConfigIssue> Warnings => _warnings.ToImmutable();
}
