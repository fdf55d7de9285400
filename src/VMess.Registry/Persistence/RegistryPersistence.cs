using Akka.Configuration;
using Akka.Persistence.Sql;
using LinqToDB;
using Npgsql;

namespace VMess.Registry.Persistence;

/// <summary>
/// The journal and snapshot store that keep the user entities (and sharding's own state: the coordinator and the
/// remembered entities) across restarts. Each builder returns a <see cref="Config"/> to put in front of the node's
/// config (Akka.Hosting: <c>AddHocon(config, HoconAddMode.Prepend)</c>); tables are created on first use.
/// Akka.Persistence.Sql has no Akka.Hosting package at 1.5.73, so this is the one place that speaks its HOCON.
/// </summary>
public static class RegistryPersistence
{
    /// <summary>The SQLite file a single node uses when none is configured, resolved next to the node's config.</summary>
    public const string DefaultSqliteFileName = "vmess-registry.db";

    public const string JournalPluginId = SqlPersistence.JournalConfigPath;
    public const string SnapshotPluginId = SqlPersistence.SnapshotStoreConfigPath;

    /// <summary>
    /// SQLite through Microsoft.Data.Sqlite: the embedded single-node default. The file (and its folder) is created if
    /// missing and switched to write-ahead logging, so entities recovering read while others write.
    /// </summary>
    public static Config Sqlite(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        // WAL is a property of the file, kept once set; the connection string has no keyword for it.
        using (SqliteFile.Open(fullPath, "PRAGMA journal_mode=WAL;")) { }
        return Sql(SqliteFile.ConnectionString(fullPath), ProviderName.SQLiteMS);
    }

    /// <summary>
    /// PostgreSQL through Npgsql: the journal a multi-node cluster shares, so an entity that moves to another node
    /// recovers there. Every node of the cluster must use the same database (and schema, if given in the string).
    /// </summary>
    public static Config PostgreSql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("Invalid PostgreSQL connection string: " + e.Message, nameof(connectionString), e);
        }
        return Sql(connectionString, ProviderName.PostgreSQL15);
    }

    /// <summary>Akka's in-memory journal and snapshot store: nothing survives the ActorSystem. For tests.</summary>
    public static Config InMemory { get; } = ConfigurationFactory.ParseString("""
        akka.persistence {
          journal.plugin = "akka.persistence.journal.inmem"
          snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        }
        """);

    private static Config Sql(string connectionString, string providerName)
    {
        var connection = Quote(connectionString);
        var provider = Quote(providerName);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "{{JournalPluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  auto-initialize = on
                }
              }
              snapshot-store {
                plugin = "{{SnapshotPluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  auto-initialize = on
                }
              }
              query.journal.sql {
                connection-string = {{connection}}
                provider-name = {{provider}}
              }
            }
            # After a full restart every shard loads its remembered entities from this journal at once, while the
            # entities recover from it too: the defaults (2 s, 5 s) are too short for a few thousand users.
            akka.cluster.sharding {
              waiting-for-state-timeout = 30 s
              updating-state-timeout = 30 s
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    // A HOCON quoted string: connection strings carry '=', ';' and maybe quotes or backslashes.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
