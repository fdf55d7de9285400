namespace VMess.Cluster.Host;

/// <summary>
/// The <c>vmess-cluster</c> commands. V2Ray 4's spellings are accepted too (<c>-config FILE</c>, <c>-config=FILE</c>,
/// <c>-test</c>, <c>-version</c>), so an operator's scripts keep working.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        usage: vmess-cluster [run] [-c FILE] [--cluster FILE]
                                               start a node (V2Ray-style JSON config; also -config FILE), joining
                                               the cluster the cluster file describes (also VMESS_CLUSTER_FILE;
                                               VMess__Cluster__* environment variables override its fields)
               vmess-cluster test -c FILE      validate a config, report every error, and exit
               vmess-cluster version           print the version
               vmess-cluster demo              run one VMess handshake and body round trip through the codec
        With no config, 'run' uses ./vmess.local.json, writing it first with a fresh id when it does not exist,
        and prints what a client needs to connect.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var command = "run";
        string? config = null;
        string? cluster = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "run" or "test" or "version" or "demo" when i == 0:
                    command = arg;
                    break;
                case "-test" or "--test":
                    command = "test";
                    break;
                case "-version" or "--version":
                    command = "version";
                    break;
                case "-h" or "--help" or "-help" or "help":
                    output.WriteLine(Usage);
                    return 0;
                case "-c" or "-config" or "--config":
                    if (i + 1 >= args.Length) return Fail(errors, $"{arg} needs a file name");
                    config = args[++i];
                    break;
                case "--cluster" or "-cluster":
                    if (i + 1 >= args.Length) return Fail(errors, $"{arg} needs a file name");
                    cluster = args[++i];
                    break;
                default:
                    var equals = arg.IndexOf('=');
                    if (equals > 0 && arg[..equals] is "-c" or "-config" or "--config")
                    {
                        config = arg[(equals + 1)..];
                        break;
                    }
                    if (equals > 0 && arg[..equals] is "--cluster" or "-cluster")
                    {
                        cluster = arg[(equals + 1)..];
                        break;
                    }
                    return Fail(errors, $"unknown argument '{arg}'\n{Usage}");
            }
        }
        return command switch
        {
            "version" => Print(output, $"vmess-cluster {typeof(CommandLine).Assembly.GetName().Version} (VMess as V2Ray 4.34 speaks it)"),
            "demo" => CodecDemo.Run(output),
            "test" => config is null ? Fail(errors, "test needs -c FILE") : ConfigCheck.Run(config, output, errors),
            _ => await NodeRunner.RunAsync(config, cluster, output, errors),
        };
    }

    private static int Print(TextWriter output, string text)
    {
        output.WriteLine(text);
        return 0;
    }

    private static int Fail(TextWriter errors, string message)
    {
        errors.WriteLine($"vmess-cluster: {message}");
        return 2;
    }
}
