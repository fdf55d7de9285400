using System.Globalization;
using Akka.Configuration;

namespace VMess.Registry.ReadModel;

/// <summary>
/// Keeps this node's replica of the user buckets (<see cref="UserBuckets"/>) in a SQLite file of its own
/// (<see cref="SqliteDurableStore"/>), so a node that restarts — or a whole cluster — serves every user as soon as the
/// replicator has loaded the file, instead of after each entity has recovered from the journal (about 4 ms per user on
/// PostgreSQL). Only the user buckets: traffic and online keys change every second and are rebuilt by their writers.
/// The file is a cache of the journal's users, one per node: deleting it costs only the slow restart; a journal wiped
/// or replaced must take its nodes' files with it, or the old users come back from them.
/// </summary>
public static class DurableUserBuckets
{
    /// <summary>The file a node uses when none is configured (next to its config): one per cluster port, so nodes may share a folder.</summary>
    public static string DefaultFileName(int clusterPort) =>
        clusterPort > 0 ? $"vmess-users-{clusterPort.ToString(CultureInfo.InvariantCulture)}.db" : "vmess-users.db";

    /// <summary>The DData config that makes the user buckets durable in <paramref name="path"/>.</summary>
    public static Config Config(string path, TimeSpan? writeBehind = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var interval = (long)(writeBehind ?? TimeSpan.FromSeconds(1)).TotalMilliseconds;
        if (interval < 0) throw new ArgumentOutOfRangeException(nameof(writeBehind), writeBehind, "must not be negative");
        var quotedPath = "\"" + Path.GetFullPath(path).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return ConfigurationFactory.ParseString($$"""
            akka.cluster.distributed-data.durable {
              keys = ["{{UserBuckets.KeyPrefix}}*"]
              store-actor-class = "{{typeof(SqliteDurableStore).FullName}}, {{typeof(SqliteDurableStore).Assembly.GetName().Name}}"
              sqlite {
                path = {{quotedPath}}
                write-behind-interval = {{interval.ToString(CultureInfo.InvariantCulture)}}ms
              }
            }
            """);
    }
}
