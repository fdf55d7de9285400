using Akka.Configuration;
using Npgsql;
using VMess.Registry.ReadModel;

namespace VMess.Registry.Persistence;

/// <summary>Where the registry's journal lives.</summary>
public enum RegistryJournal
{
    /// <summary>A SQLite file on this node: the embedded single-node default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every node: required once entities can move between nodes.</summary>
    PostgreSql,

    /// <summary>Nothing survives a restart; for tests.</summary>
    InMemory,
}

/// <summary>The registry's persistence as an operator configures it; <see cref="ToConfig"/> turns it into HOCON.</summary>
public sealed record RegistryPersistenceSettings
{
    public static RegistryPersistenceSettings Default { get; } = new();

    public RegistryJournal Journal { get; init; } = RegistryJournal.Sqlite;

    /// <summary>The SQLite file; a relative path is resolved against the directory passed to <see cref="ToConfig"/>.</summary>
    public string SqlitePath { get; init; } = RegistryPersistence.DefaultSqliteFileName;

    /// <summary>The Npgsql connection string; required when <see cref="Journal"/> is PostgreSql.</summary>
    public string? PostgreSqlConnectionString { get; init; }

    /// <summary>
    /// Keep this node's replica of the users in a file of its own (<see cref="DurableUserBuckets"/>), so a restarted node
    /// serves every user at once rather than after the journal has been replayed user by user. Never with the
    /// in-memory journal: the file would outlive the users it lists.
    /// </summary>
    public bool DurableReadModel { get; init; } = true;

    /// <summary>
    /// That file; a relative path is resolved like <see cref="SqlitePath"/>. Unset: <see cref="DurableUserBuckets.DefaultFileName"/>
    /// of the node's cluster port, next to its config. Delete it together with the journal, never keep it for a new one.
    /// </summary>
    public string? ReadModelPath { get; init; }

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Journal)) errors.Add($"Journal must be Sqlite, PostgreSql or InMemory, was {(int)Journal}.");
        if (Journal == RegistryJournal.Sqlite && string.IsNullOrWhiteSpace(SqlitePath))
            errors.Add("SqlitePath must not be empty when Journal is Sqlite.");
        if (Journal == RegistryJournal.PostgreSql && string.IsNullOrWhiteSpace(PostgreSqlConnectionString))
            errors.Add("PostgreSqlConnectionString is required when Journal is PostgreSql.");
        if (ReadModelPath is not null && string.IsNullOrWhiteSpace(ReadModelPath))
            errors.Add("ReadModelPath must not be empty when set (leave it out for the default file).");
        return errors;
    }

    /// <summary>The SQLite file this node uses: <see cref="SqlitePath"/> resolved against <paramref name="baseDirectory"/>.</summary>
    public string ResolveSqlitePath(string baseDirectory) => Path.GetFullPath(SqlitePath, Path.GetFullPath(baseDirectory));

    /// <summary>The read model's file on this node, or null when it is kept in memory only (<see cref="DurableReadModel"/>).</summary>
    public string? ResolveReadModelPath(string baseDirectory, int clusterPort) =>
        !DurableReadModel || Journal == RegistryJournal.InMemory
            ? null
            : Path.GetFullPath(ReadModelPath ?? DurableUserBuckets.DefaultFileName(clusterPort), Path.GetFullPath(baseDirectory));

    /// <summary>What a log line says about the journal: the SQLite file, or the PostgreSQL server and database (never the password).</summary>
    public string Describe(string baseDirectory) => Journal switch
    {
        RegistryJournal.Sqlite => $"SQLite {ResolveSqlitePath(baseDirectory)}",
        RegistryJournal.PostgreSql => DescribePostgreSql(PostgreSqlConnectionString),
        _ => "in memory (nothing survives a restart)",
    };

    private static string DescribePostgreSql(string? connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (invalid connection string)";
        }
    }

    /// <summary>The journal and snapshot-store config; <paramref name="baseDirectory"/> is usually the config file's folder.</summary>
    public Config ToConfig(string baseDirectory)
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid registry persistence settings: " + string.Join(" ", errors));
        return Journal switch
        {
            RegistryJournal.Sqlite => RegistryPersistence.Sqlite(ResolveSqlitePath(baseDirectory)),
            RegistryJournal.PostgreSql => RegistryPersistence.PostgreSql(PostgreSqlConnectionString!),
            _ => RegistryPersistence.InMemory,
        };
    }
}
