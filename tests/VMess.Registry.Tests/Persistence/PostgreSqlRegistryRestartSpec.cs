using Akka.Configuration;
using VMess.Registry.Persistence;
using VMess.Registry.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Persistence;

/// <summary>The restart contract on the shared multi-node journal: a database per test on a throwaway server.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlRegistryRestartSpec(PostgresServer server, ITestOutputHelper output)
    : RegistryRestartContract(output), IClassFixture<PostgresServer>
{
    protected override async Task<Config> NewDatabaseAsync() => RegistryPersistence.PostgreSql(await server.CreateDatabaseAsync());

    protected override async Task<IReadOnlyList<string>> JournalRowsAsync(Config database, string persistenceId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.GetString("akka.persistence.journal.sql.connection-string"));
        await connection.OpenAsync();
        return await JournalRows.ReadAsync(connection, persistenceId);
    }
}
