using System.Diagnostics;
using Npgsql;
using Xunit;

namespace VMess.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's packages (postgresql-15 or later; scripts/install-test-deps.sh installs
/// it): initdb into a temp folder, the server on 127.0.0.1 at a free port with its socket in that folder, trust auth.
/// Dispose stops the server (the postmaster's PID, from its pid file) and deletes the folder. As root, initdb and the
/// server run as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresServer : IAsyncLifetime
{
    private const string User = "vmess";
    private const string RunAsUser = "postgres";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("vmess-registry-pg-").FullName;
    private int _databases;
    private int _postmasterPid;

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>A new empty database on this server, as an Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "registry_" + Interlocked.Increment(ref _databases);
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        var bin = FindBinDirectory();
        // The server (another user when we are root) writes the data folder and its socket here.
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        await RunAsync(Path.Combine(bin, "initdb"), "-D", DataDirectory, "-U", User, "-A", "trust", "--no-sync", "-E", "UTF8");
        Port = FreePort.Tcp();
        await RunAsync(Path.Combine(bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        _postmasterPid = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First());
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_postmasterPid > 0)
        {
            // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops cleanly.
            await RunAsync("kill", "-INT", _postmasterPid.ToString());
            await WaitForExitAsync(_postmasterPid);
        }
        Directory.Delete(_root, recursive: true);
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = database,
    }.ConnectionString;

    private static string FindBinDirectory()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(dir => File.Exists(Path.Combine(dir, "bin", "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var v) ? v : 0)
                .ToArray()
            : [];
        return versions.Length > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException(
                "PostgreSQL's server binaries are missing (/usr/lib/postgresql/*/bin/initdb): run scripts/install-test-deps.sh.");
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var asRoot = Environment.UserName == "root" && program != "kill";
        var start = new ProcessStartInfo(asRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var prefix in new[] { "-u", RunAsUser, "--", program }) start.ArgumentList.Add(prefix);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Bound);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stdout}{await stderr}");
    }

    private static async Task WaitForExitAsync(int pid)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (Directory.Exists($"/proc/{pid}"))
        {
            if (DateTime.UtcNow > deadline)
            {
                await RunAsync("kill", "-KILL", pid.ToString());
                return;
            }
            await Task.Delay(20);
        }
    }
}
