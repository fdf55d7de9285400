namespace VMess.Cluster.Host.Operator;

/// <summary>
/// The commands that talk to a running node's operator API: <c>user</c>, <c>stats</c> and <c>link</c>. Exit code 0 when
/// done, 1 when the API refused or could not be reached, 2 for a command line that cannot run; errors are one line on
/// standard error, never a stack trace.
/// </summary>
public static class OperatorCommands
{
    public static bool IsOperatorCommand(string name) => name is "user" or "stats" or "link";

    /// <param name="args">The command line, the command's name first.</param>
    /// <param name="environment">Reads an environment variable (<c>VMESS_API_TOKEN</c>).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, Func<string, string?> environment)
    {
        var name = args[0];
        var rest = args.Skip(1).ToArray();
        if (rest.Any(a => a is "-h" or "--help" or "-help"))
        {
            output.WriteLine(CommandLine.Usage);
            return 0;
        }
        try
        {
            return name switch
            {
                "user" => await UserCommands.RunAsync(rest, output, errors, environment),
                "stats" => await StatsCommand.RunAsync(rest, output, environment),
                "link" => await LinkCommand.RunAsync(rest, output, errors, environment),
                _ => throw new UsageException($"unknown command '{name}'"),
            };
        }
        catch (UsageException e)
        {
            errors.WriteLine($"vmess-cluster: {e.Message}");
            foreach (var line in Synopsis(name, rest)) errors.WriteLine($"usage: vmess-cluster {line}");
            errors.WriteLine($"       each also takes {ConnectionSynopsis}");
            return 2;
        }
        catch (OperatorException e)
        {
            errors.WriteLine($"vmess-cluster: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever else a client library throws (a malformed answer, say): its message, not its stack.
            errors.WriteLine($"vmess-cluster: {name}: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    public const string ConnectionSynopsis = "[--server HOST:PORT] [--token TOKEN] [--timeout SECONDS] [-c FILE]";

    /// <summary>The usage of the command, or of its subcommand when one was named (<c>user add</c>).</summary>
    private static string[] Synopsis(string name, string[] rest) => name switch
    {
        "user" when rest.Length > 0 && UserCommands.Synopsis.Where(s => s.StartsWith($"user {rest[0]}", StringComparison.Ordinal)).ToArray() is [_, ..] one => one,
        "user" => UserCommands.Synopsis,
        "stats" => StatsCommand.Synopsis,
        _ => LinkCommand.Synopsis,
    };
}
