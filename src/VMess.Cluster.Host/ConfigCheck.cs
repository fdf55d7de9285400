using VMess.Configuration;

namespace VMess.Cluster.Host;

/// <summary><c>vmess-cluster test -c FILE</c>: every error and warning at once, exit code 0 only when valid.</summary>
public static class ConfigCheck
{
    public static int Run(string path, TextWriter output, TextWriter errors)
    {
        var result = ConfigLoader.LoadFile(path);
        Report(result, errors);
        if (!result.IsValid)
        {
            errors.WriteLine($"{path}: {result.Errors.Length} error(s)");
            return 1;
        }
        output.WriteLine($"{path}: configuration OK");
        return 0;
    }

    public static void Report(ConfigLoadResult result, TextWriter errors)
    {
        foreach (var warning in result.Warnings) errors.WriteLine($"warning: {warning}");
        foreach (var error in result.Errors) errors.WriteLine($"error: {error}");
    }
}
