using Akka.Configuration;
using Microsoft.Data.Sqlite;
using VMess.Registry.Persistence;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Persistence;

/// <summary>The restart contract on the embedded default: a SQLite file per test, deleted afterwards.</summary>
public sealed class SqliteRegistryRestartSpec(ITestOutputHelper output) : RegistryRestartContract(output), IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vmess-registry-sqlite-").FullName;

    protected override Task<Config> NewDatabaseAsync() => Task.FromResult(
        RegistryPersistence.Sqlite(Path.Combine(_directory, RegistryPersistence.DefaultSqliteFileName)));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
