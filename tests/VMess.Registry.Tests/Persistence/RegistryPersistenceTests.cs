using Microsoft.Data.Sqlite;
using VMess.Registry.Persistence;

namespace VMess.Registry.Tests.Persistence;

public sealed class RegistryPersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vmess-registry-config-").FullName;

    [Fact]
    public void Sqlite_should_select_the_sql_journal_and_snapshot_store_on_that_file()
    {
        var path = Path.Combine(_directory, "users.db");
        var config = RegistryPersistence.Sqlite(path);
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        foreach (var plugin in new[] { "akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql" })
        {
            Assert.Equal("SQLite.MS", config.GetString(plugin + ".provider-name"));
            Assert.True(config.GetBoolean(plugin + ".auto-initialize"));
            Assert.Equal(path, new SqliteConnectionStringBuilder(config.GetString(plugin + ".connection-string")).DataSource);
        }
    }

    [Fact]
    public void Sqlite_should_create_the_file_and_its_folder_in_write_ahead_log_mode()
    {
        var path = Path.Combine(_directory, "nested", "users.db");
        var connectionString = RegistryPersistence.Sqlite(path).GetString("akka.persistence.journal.sql.connection-string");
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void Sqlite_should_keep_a_path_with_quotes_and_semicolons_intact()
    {
        var path = Path.Combine(_directory, "odd \"name\"; x=1.db");
        var connectionString = RegistryPersistence.Sqlite(path).GetString("akka.persistence.journal.sql.connection-string");
        Assert.Equal(path, new SqliteConnectionStringBuilder(connectionString).DataSource);
    }

    [Fact]
    public void PostgreSql_should_select_the_PostgreSQL_provider_with_that_connection_string()
    {
        const string connectionString = "Host=db;Port=5432;Username=vmess;Database=vmess";
        var config = RegistryPersistence.PostgreSql(connectionString);
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(connectionString, config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
    }

    [Fact]
    public void PostgreSql_should_reject_a_malformed_connection_string()
    {
        var error = Assert.Throws<ArgumentException>(() => RegistryPersistence.PostgreSql("Host=db;NoSuchKeyword=1"));
        Assert.Contains("PostgreSQL connection string", error.Message);
    }

    [Fact]
    public void InMemory_should_select_the_inmem_plugins()
    {
        Assert.Equal("akka.persistence.journal.inmem", RegistryPersistence.InMemory.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.inmem", RegistryPersistence.InMemory.GetString("akka.persistence.snapshot-store.plugin"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
