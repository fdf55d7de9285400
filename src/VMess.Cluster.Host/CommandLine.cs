using VMess.Cluster.Host.Operator;

namespace VMess.Cluster.Host;

/// <summary>
/// The <c>vmess-cluster</c> commands. V2Ray 4's spellings are accepted too (<c>-config FILE</c>, <c>-config=FILE</c>,
/// <c>-test</c>, <c>-version</c>), so an operator's scripts keep working. <c>user</c>, <c>stats</c> and <c>link</c> talk
/// to a running node's operator API (<see cref="OperatorCommands"/>).
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

        Talking to a running node's operator API (V2Ray's gRPC API, the config's api section):
               vmess-cluster user add EMAIL [--id UUID] [--alter-id N] [--level N] [--tag INBOUND_TAG]
                                               add (or update) a user in the cluster registry; the id is new unless
                                               given, the tag defaults to the first VMess inbound; prints its link
               vmess-cluster user remove EMAIL [--tag INBOUND_TAG] [--reset-counters]
                                               remove a user: every node refuses it and closes its connections
                                               within about a second; its counters are kept unless reset
               vmess-cluster user list         every user: id, alterId, level, state, traffic, live connections
               vmess-cluster user show EMAIL   one user: state, limits, traffic totals, where it is connected from
               vmess-cluster user limit EMAIL [--max-connections N] [--max-ips N] [--quota SIZE] [--expires WHEN]
                                               change the limits given, keep the others; each is cluster-wide and
                                               0 means no limit. N: live connections / distinct source IPs at once;
                                               SIZE: uplink plus downlink, in bytes or with a unit: KB, MB, GB, TB
                                               are decimal (1000^n), KiB, MiB, GiB, TiB binary (1024^n), e.g. 10GiB;
                                               WHEN: an ISO-8601 date or date and time (UTC unless it has an
                                               offset: 2027-01-01, 2027-01-01T12:00:00+02:00), a time from now
                                               (30d, 12h, 1d12h; w, d, h, m = minutes, s) or never
               vmess-cluster user disable EMAIL [--reset-counters]
                                               keep the user but refuse it on every node, closing its connections;
                                               its counters are kept unless reset
               vmess-cluster user enable EMAIL serve a disabled user again (a suspended one stays refused until
                                               its quota is raised or its counters reset, or its expiry moved)
               vmess-cluster stats [--pattern P] [--reset]
                                               the traffic counters whose names contain P (V2Ray's QueryStats)
               vmess-cluster link EMAIL [--address HOST] [--port N] [--tag INBOUND_TAG] [--invert]
                                               the user's vmess:// share link and its QR code (--invert for a
                                               terminal with a light background)
        Each of these also takes:
               --server HOST:PORT              the node's API (default: the api inbound of -c FILE, else 127.0.0.1:10085)
               --token TOKEN                   the node's API token (default: $VMESS_API_TOKEN), needed off loopback
               --timeout SECONDS               how long the command may take (default 15)
               -c FILE                         the node's config: where its API listens, which inbound takes users
        Exit code 0 when done, 1 when the API refused or could not be reached, 2 for a command line that cannot run.
        """;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors) =>
        RunAsync(args, output, errors, Environment.GetEnvironmentVariable);

    /// <param name="environment">Reads an environment variable (the operator commands' <c>VMESS_API_TOKEN</c>).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, Func<string, string?> environment)
    {
        if (args.Length > 0 && OperatorCommands.IsOperatorCommand(args[0])) return await OperatorCommands.RunAsync(args, output, errors, environment);
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
