using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using VMess.Configuration.Options;

namespace VMess.Configuration;

/// <summary>
/// The outcome of loading a config: the options when there is no error, and every error and warning found.
/// Warnings never stop a config from loading; they name what this node ignores.
/// </summary>
public sealed record ConfigLoadResult(
    NodeOptions? Options,
    ImmutableArray<ConfigIssue> Errors,
    ImmutableArray<ConfigIssue> Warnings)
{
    [MemberNotNullWhen(true, nameof(Options))]
    public bool IsValid => Errors.IsEmpty && Options is not null;
}
