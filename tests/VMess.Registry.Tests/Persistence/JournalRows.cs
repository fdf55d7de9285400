using System.Data.Common;

namespace VMess.Registry.Tests.Persistence;

/// <summary>What the SQL journal and snapshot store hold for one persistence id (Linq2Db's default table mapping).</summary>
internal static class JournalRows
{
    /// <summary>"event N" per journal row and "snapshot N" per snapshot row, by sequence number.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(DbConnection connection, string persistenceId)
    {
        var rows = new List<string>();
        foreach (var (table, label) in new[] { ("journal", "event"), ("snapshot", "snapshot") })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT sequence_number FROM {table} WHERE persistence_id = @id ORDER BY sequence_number";
            var id = command.CreateParameter();
            id.ParameterName = "@id";
            id.Value = persistenceId;
            command.Parameters.Add(id);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add($"{label} {reader.GetInt64(0)}");
        }
        return rows;
    }
}
