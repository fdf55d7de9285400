namespace VMess.Testing;

/// <summary>Locates the real V2Ray executable used by interop tests.</summary>
public static class V2RayBinary
{
    /// <summary>Environment variable that overrides the v2ray location.</summary>
    public const string PathVariable = "V2RAY_PATH";

    private const string DefaultPath = "/usr/bin/v2ray";

    /// <summary>True on CI (<c>CI=true</c>), where interop tests must run and never be skipped.</summary>
    public static bool IsRequired => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>The v2ray path from <c>V2RAY_PATH</c>, else <c>/usr/bin/v2ray</c>, else <c>PATH</c>; null when not found.</summary>
    public static string? TryFind()
    {
        var fromEnv = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return File.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        if (File.Exists(DefaultPath))
        {
            return DefaultPath;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "v2ray");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The v2ray path; throws when it is missing, locally and on CI alike, so interop tests fail instead of being skipped.
    /// </summary>
    public static string Require()
    {
        var found = TryFind();
        if (found is not null)
        {
            return found;
        }

        var envValue = Environment.GetEnvironmentVariable(PathVariable);
        var where = string.IsNullOrWhiteSpace(envValue)
            ? $"{DefaultPath} or on PATH"
            : $"{PathVariable}='{envValue}'";
        throw new InvalidOperationException(
            $"The real v2ray binary was not found ({where}). Interop tests need it and are never skipped" +
            (IsRequired ? " on CI" : string.Empty) +
            ". Run scripts/install-test-deps.sh (installs Debian's v2ray 4.34) or set " + PathVariable + ".");
    }
}
