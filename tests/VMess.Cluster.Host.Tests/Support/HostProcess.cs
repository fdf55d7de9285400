using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// The built <c>vmess-cluster</c> run as <c>dotnet vmess-cluster.dll ARGS</c> in a working directory of its own,
/// with its output collected line by line. Disposing kills it by PID if it still runs, and deletes the directory.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly object _gate = new();
    private readonly bool _ownsDirectory;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, TempDirectory directory, bool ownsDirectory)
    {
        _process = process;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    /// <summary>The built host, copied next to the tests by the project reference.</summary>
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "vmess-cluster.dll");

    public TempDirectory Directory { get; }

    public int ProcessId { get; private set; }

    public string Stdout => Join(_stdout);

    public string Stderr => Join(_stderr);

    /// <summary>Starts the host in <paramref name="directory"/>, or in a fresh empty one (deleted on dispose) when null.</summary>
    public static HostProcess Start(IEnumerable<string> args, TempDirectory? directory = null, IDictionary<string, string>? environment = null)
    {
        var ownsDirectory = directory is null;
        directory ??= new TempDirectory();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory.Path,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(HostDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(process, directory, ownsDirectory);
        process.OutputDataReceived += (_, e) => host.OnLine(host._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(host._stderr, e.Data);
        process.Exited += (_, _) => host.Pulse();
        process.Start();
        host.ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs the host to its exit and returns its exit code; kills it after <see cref="ExitTimeout"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, TempDirectory? directory = null,
        IDictionary<string, string>? environment = null)
    {
        await using var host = Start(args, directory, environment);
        var exitCode = await host.WaitForExitAsync(ExitTimeout);
        return (exitCode, host.Stdout, host.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"vmess-cluster (pid {ProcessId}) still runs after {timeout}.\n{Describe()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of standard output satisfies <paramref name="predicate"/>; fails early if the host exits.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var line = _stdout.FirstOrDefault(predicate);
                if (line is not null) return line;
                changed = _changed.Task;
            }
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(CancellationToken.None);
                lock (_gate)
                {
                    if (_stdout.FirstOrDefault(predicate) is { } last) return last;
                }
                throw new InvalidOperationException($"vmess-cluster exited with {_process.ExitCode} first.\n{Describe()}");
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"vmess-cluster printed no such line within {timeout}.\n{Describe()}");
            }
        }
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> and systemd do, to start the graceful shutdown.</summary>
    public void Terminate()
    {
        const int sigterm = 15;
        if (kill(ProcessId, sigterm) != 0) throw new InvalidOperationException($"kill({ProcessId}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGKILL, as a crash or the OOM killer: no shutdown runs. Returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        const int sigkill = 9;
        if (kill(ProcessId, sigkill) != 0) throw new InvalidOperationException($"kill({ProcessId}, SIGKILL) failed: errno {Marshal.GetLastPInvokeError()}");
        await WaitForExitAsync(ExitTimeout);
    }

    /// <summary>Sends SIGHUP: the node reads its config's clients again.</summary>
    public void Hangup()
    {
        const int sighup = 1;
        if (kill(ProcessId, sighup) != 0) throw new InvalidOperationException($"kill({ProcessId}, SIGHUP) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Whether any line of standard output satisfies <paramref name="predicate"/> now.</summary>
    public bool HasPrinted(Func<string, bool> predicate)
    {
        lock (_gate) return _stdout.Any(predicate);
    }

    public string Describe() => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        finally
        {
            _process.Dispose();
            if (_ownsDirectory) Directory.Dispose();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private void OnLine(List<string> lines, string? line)
    {
        if (line is null) return;
        TaskCompletionSource changed;
        lock (_gate)
        {
            lines.Add(line);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private string Join(List<string> lines)
    {
        lock (_gate) return string.Join('\n', lines);
    }
}

/// <summary>An empty directory under the temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vmess-cluster-host-tests-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string fileName, string contents)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a process still holds a file; the temp dir is cleaned some other day
        }
    }
}
