using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using Xunit.Abstractions;

namespace VMess.Testing;

/// <summary>
/// A running real v2ray (<c>v2ray -config FILE</c>) whose stdout/stderr lines are captured.
/// Dispose kills its whole process tree and deletes the config file.
/// </summary>
public sealed class V2RayProcess : IAsyncDisposable
{
    /// <summary>Default bound on waiting for v2ray's listeners.</summary>
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    // v2ray 4.34 reads "v2ray.vmess.aead.disabled" as this variable; never let an ambient value leak into tests.
    private const string AeadDisabledVariable = "V2RAY_VMESS_AEAD_DISABLED";

    private readonly Process _process;
    private readonly string _configPath;
    private readonly ITestOutputHelper? _log;
    private readonly List<string> _lines = new();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _disposed;
    private int _pid;

    private V2RayProcess(Process process, string configPath, ITestOutputHelper? log)
    {
        _process = process;
        _configPath = configPath;
        _log = log;
    }

    /// <summary>The OS process id.</summary>
    public int ProcessId => _pid;

    /// <summary>True once v2ray has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Path of the temporary config file (deleted on dispose).</summary>
    public string ConfigPath => _configPath;

    /// <summary>A snapshot of the captured stdout and stderr lines, in arrival order.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>All captured output joined by newlines.</summary>
    public string Output => string.Join('\n', OutputLines);

    /// <summary>
    /// Writes <paramref name="configJson"/> to a temp file, starts v2ray on it, and waits (at most <see cref="StartupTimeout"/>)
    /// until every TCP port in <paramref name="portsToAwait"/> is listening on 127.0.0.1.
    /// Throws, with v2ray's output, if v2ray exits first or the wait times out.
    /// </summary>
    /// <remarks>
    /// Readiness is read from the OS listener table rather than by connecting: a probe connection to a
    /// dokodemo-door port would make v2ray open a real vmess connection, which a <see cref="CapturingListener"/> would record.
    /// </remarks>
    public static async Task<V2RayProcess> StartAsync(
        string configJson,
        IEnumerable<int> portsToAwait,
        ITestOutputHelper? log = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        ArgumentNullException.ThrowIfNull(portsToAwait);
        var binary = V2RayBinary.Require();
        var configPath = Path.Combine(Path.GetTempPath(), $"vmess-testing-v2ray-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, configJson, ct).ConfigureAwait(false);

        var info = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        info.ArgumentList.Add("-config");
        info.ArgumentList.Add(configPath);
        info.Environment.Remove(AeadDisabledVariable);

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var v2ray = new V2RayProcess(process, configPath, log);
        process.OutputDataReceived += (_, e) => v2ray.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => v2ray.OnLine(e.Data);
        process.Exited += (_, _) => v2ray.Pulse();
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            TryDelete(configPath);
            throw;
        }

        v2ray._pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        v2ray.WriteLog($"[v2ray {v2ray._pid}] started: {binary} -config {configPath}");

        try
        {
            await v2ray.WaitForListenersAsync(portsToAwait, udp: false, StartupTimeout, ct).ConfigureAwait(false);
            return v2ray;
        }
        catch
        {
            await v2ray.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until every UDP port in <paramref name="ports"/> is bound on 127.0.0.1 (e.g. a dokodemo-door "udp").</summary>
    public Task WaitForUdpPortsAsync(IEnumerable<int> ports, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return WaitForListenersAsync(ports, udp: true, timeout, ct);
    }

    /// <summary>
    /// Waits until some captured output line satisfies <paramref name="predicate"/> and returns it (lines seen before the call count).
    /// Throws <see cref="TimeoutException"/> with the output on timeout, or if v2ray exits without such a line.
    /// </summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var scanned = 0;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (; scanned < _lines.Count; scanned++)
                {
                    if (predicate(_lines[scanned]))
                    {
                        return _lines[scanned];
                    }
                }

                changed = _changed.Task;
            }

            if (_process.HasExited)
            {
                // let the reader threads drain the last lines before giving up
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                if (ScanRemaining(predicate, scanned) is { } late)
                {
                    return late;
                }

                throw new TimeoutException($"v2ray exited ({_process.ExitCode}) without the expected output.\n{Output}");
            }

            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"v2ray printed no matching line within {timeout}.\n{Output}");
            }
        }
    }

    /// <summary>Kills the v2ray process tree by PID, waits for it to exit and deletes the config file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        finally
        {
            _process.Dispose();
            TryDelete(_configPath);
        }
    }

    private async Task WaitForListenersAsync(IEnumerable<int> ports, bool udp, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var pending = new HashSet<int>(ports);
        while (pending.Count > 0)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"v2ray exited early with code {_process.ExitCode} before listening on {Describe(pending, udp)}.\n{Output}");
            }

            pending.ExceptWith(ListeningLoopbackPorts(udp));
            if (pending.Count == 0)
            {
                break;
            }

            try
            {
                await Task.Delay(PollInterval, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"v2ray did not listen on {Describe(pending, udp)} within {timeout}.\n{Output}");
            }
        }
    }

    private static IEnumerable<int> ListeningLoopbackPorts(bool udp)
    {
        var properties = IPGlobalProperties.GetIPGlobalProperties();
        var endpoints = udp ? properties.GetActiveUdpListeners() : properties.GetActiveTcpListeners();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Address.Equals(IPAddress.Loopback) || endpoint.Address.Equals(IPAddress.Any)
                || endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                yield return endpoint.Port;
            }
        }
    }

    private static string Describe(IEnumerable<int> ports, bool udp) =>
        string.Join(", ", ports.Select(p => $"{(udp ? "udp" : "tcp")}:127.0.0.1:{p}"));

    private string? ScanRemaining(Func<string, bool> predicate, int from)
    {
        lock (_gate)
        {
            for (var i = from; i < _lines.Count; i++)
            {
                if (predicate(_lines[i]))
                {
                    return _lines[i];
                }
            }
        }

        return null;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            Pulse();
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
        }

        Pulse();
        WriteLog($"[v2ray {_pid}] {line}");
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private void WriteLog(string message)
    {
        if (_log is null)
        {
            return;
        }

        try
        {
            _log.WriteLine(message);
        }
        catch (InvalidOperationException)
        {
            // the test that owned this helper has finished
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
