using Microsoft.Data.Sqlite;

namespace VMess.Registry.Persistence;

/// <summary>The registry's SQLite files (the journal, each node's read model): created with their folder when missing.</summary>
internal static class SqliteFile
{
    /// <summary>
    /// Opens <paramref name="fullPath"/> (creating it and its folder) and runs <paramref name="setup"/> on it, e.g.
    /// pragmas and tables. Throws what SQLite or the file system throw; the connection is the caller's.
    /// </summary>
    public static SqliteConnection Open(string fullPath, string setup)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connection = new SqliteConnection(ConnectionString(fullPath));
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = setup;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static string ConnectionString(string fullPath) => new SqliteConnectionStringBuilder
    {
        DataSource = fullPath,
        Mode = SqliteOpenMode.ReadWriteCreate,
    }.ConnectionString;
}
