using Akka.Configuration;
using Microsoft.Data.Sqlite;
using VMess.Registry.Persistence;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Persistence;

/// <summary>The restart contract on the embedded default: a SQLite file per test, deleted afterwards.</summary>
public sealed class SqliteRegistryRestartSpec(ITestOutputHelper output) : RegistryRestartContract(output), IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vmess-registry-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, RegistryPersistence.DefaultSqliteFileName);

    protected override Task<Config> NewDatabaseAsync() => Task.FromResult(RegistryPersistence.Sqlite(DatabasePath));

    protected override async Task<IReadOnlyList<string>> JournalRowsAsync(Config database, string persistenceId)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ConnectionString);
        await connection.OpenAsync();
        return await JournalRows.ReadAsync(connection, persistenceId);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
