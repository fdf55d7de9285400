using System.Net;
using Microsoft.Extensions.Configuration;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// How a node joins the cluster: section <c>VMess:Cluster</c> of the host configuration, read from the cluster file
/// (<c>--cluster FILE</c> or <c>VMESS_CLUSTER_FILE</c>) and overridden field by field by environment variables
/// (<c>VMess__Cluster__Port=4053</c>, <c>VMess__Cluster__Seeds__0=node1:4053</c>). With nothing set the node is a
/// cluster of one on 127.0.0.1, any free port, that seeds itself.
/// </summary>
public sealed record ClusterMembershipSettings
{
    public const string SectionName = "VMess:Cluster";

    /// <summary>The actor system's name; every node of a cluster must use the same, so it is not a setting.</summary>
    public const string ActorSystemName = "vmess-cluster";

    public static readonly TimeSpan DefaultShutdownDrainDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Address Akka.Remote binds (0.0.0.0 in a container).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Port Akka.Remote binds; 0 takes any free port (only sensible for a node that seeds itself).</summary>
    public int Port { get; init; }

    /// <summary>Address other nodes reach this one by, when it differs from <see cref="Hostname"/> (a container's service name).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>
    /// Seed nodes as <c>host:port</c> or full <c>akka.tcp://vmess-cluster@host:port</c>, the same list on every node.
    /// The first seed forms the cluster when it finds none; empty: this node forms a cluster of its own.
    /// </summary>
    public string[] Seeds { get; init; } = [];

    /// <summary>Akka.Cluster roles of this node.</summary>
    public string[] Roles { get; init; } = [];

    /// <summary>On SIGTERM, how long open tunnels may run on after the node stopped accepting and left the cluster.</summary>
    public TimeSpan ShutdownDrainDeadline { get; init; } = DefaultShutdownDrainDeadline;

    /// <summary>Cluster heartbeat interval of the failure detector.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Heartbeat silence the failure detector tolerates before it marks a member unreachable (Akka's default is 3 s;
    /// a loaded 2-core machine pauses longer than that under GC and JIT).
    /// </summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Binds <see cref="SectionName"/>; a value that does not convert (a port that is not a number) throws.</summary>
    public static ClusterMembershipSettings From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<ClusterMembershipSettings>() ?? new ClusterMembershipSettings();

    /// <summary>Seeds as Akka addresses, in their order.</summary>
    public IReadOnlyList<string> SeedAddresses() => Seeds.Select(ToAddress).ToArray();

    /// <summary>Every problem at once, each naming its setting; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Hostname)) errors.Add($"{SectionName}:Hostname is empty");
        if (Port is < 0 or > 65535) errors.Add($"{SectionName}:Port {Port} is not a port (0..65535)");
        for (var i = 0; i < Seeds.Length; i++)
        {
            if (!IsSeed(Seeds[i])) errors.Add($"{SectionName}:Seeds:{i} '{Seeds[i]}' is neither host:port nor akka.tcp://{ActorSystemName}@host:port");
        }
        if (Seeds.Length > 0 && Port == 0) errors.Add($"{SectionName}:Port is 0 (any free port), but seeds are set: the other nodes could not find this one");
        if (ShutdownDrainDeadline < TimeSpan.Zero) errors.Add($"{SectionName}:ShutdownDrainDeadline {ShutdownDrainDeadline} is negative");
        if (HeartbeatInterval <= TimeSpan.Zero) errors.Add($"{SectionName}:HeartbeatInterval {HeartbeatInterval} is not positive");
        if (AcceptableHeartbeatPause <= HeartbeatInterval) errors.Add($"{SectionName}:AcceptableHeartbeatPause {AcceptableHeartbeatPause} is not longer than HeartbeatInterval");
        return errors;
    }

    private static string ToAddress(string seed) => seed.Contains("://", StringComparison.Ordinal) ? seed : $"akka.tcp://{ActorSystemName}@{seed}";

    private static bool IsSeed(string seed)
    {
        if (string.IsNullOrWhiteSpace(seed)) return false;
        var address = ToAddress(seed);
        const string scheme = $"akka.tcp://{ActorSystemName}@";
        if (!address.StartsWith(scheme, StringComparison.Ordinal)) return false;
        var hostPort = address[scheme.Length..];
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0) return false;
        var host = hostPort[..colon].Trim('[', ']');
        return int.TryParse(hostPort[(colon + 1)..], out var port) && port is > 0 and <= 65535
            && (IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns);
    }
}
