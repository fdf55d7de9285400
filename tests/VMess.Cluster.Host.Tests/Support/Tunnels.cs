using System.Diagnostics;
using System.Net.Sockets;
using VMess.Testing;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// Connections through a v2ray client to a node, as the cluster specs probe them: whether a user is served (an echo
/// comes back) or refused, when a node logged something, when an open tunnel ended.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class Tunnels
{
    private static readonly TimeSpan ServedTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AttemptInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Starts an attempt every 50 ms until one gives <paramref name="wantEcho"/>; returns the earliest start (on
    /// <paramref name="clock"/>) of an attempt that gave it. Attempts overlap, so a slow one does not delay the next.
    /// </summary>
    public static async Task<TimeSpan> FirstAttemptAsync(Stopwatch clock, int port, bool wantEcho, TimeSpan timeout, ThreeNodeCluster cluster)
    {
        var attempts = new List<(TimeSpan Start, Task<bool> Echoed)>();
        var deadline = clock.Elapsed + timeout;
        while (clock.Elapsed < deadline)
        {
            attempts.Add((clock.Elapsed, AttemptAsync(port)));
            if (attempts.Any(a => a.Echoed.IsCompleted && a.Echoed.Result == wantEcho))
            {
                await Task.WhenAll(attempts.Select(a => a.Echoed));
                return attempts.Where(a => a.Echoed.Result == wantEcho).Min(a => a.Start);
            }
            await Task.Delay(AttemptInterval);
        }
        await Task.WhenAll(attempts.Select(a => a.Echoed));
        throw new TimeoutException($"no attempt through 127.0.0.1:{port} {(wantEcho ? "echoed" : "was refused")} within {timeout}\n{cluster.Describe()}");
    }

    /// <summary>One connection through a v2ray client: whether 8 KiB come back intact (a refused user's connection is closed).</summary>
    public static async Task<bool> AttemptAsync(int port)
    {
        // More than the largest drain (3382 bytes), so a refusal closes at once instead of at the handshake timeout.
        var payload = Payloads.Random(8 * 1024, seed: port);
        using var cts = new CancellationTokenSource(AttemptTimeout);
        try
        {
            var echoed = await EchoRoundTrip.RunAsync(port, payload, cts.Token);
            return echoed.AsSpan().SequenceEqual(payload);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>When (on <paramref name="clock"/>) the node printed a line containing <paramref name="text"/>.</summary>
    public static Task<TimeSpan> PrintedAtAsync(HostProcess node, string text, Stopwatch clock) => Task.Run(async () =>
    {
        await node.WaitForOutputAsync(line => line.Contains(text, StringComparison.Ordinal), ServedTimeout);
        return clock.Elapsed;
    });

    /// <summary>When (on <paramref name="clock"/>) the other side closed the connection (end of stream or reset).</summary>
    public static Task<TimeSpan> EndedAtAsync(NetworkStream stream, Stopwatch clock) => Task.Run(async () =>
    {
        using var cts = new CancellationTokenSource(ServedTimeout);
        var buffer = new byte[16 * 1024];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // reset
        }
        return clock.Elapsed;
    });

    public static async Task EchoOnAsync(NetworkStream stream, byte[] payload)
    {
        using var cts = new CancellationTokenSource(ServedTimeout);
        var send = stream.WriteAsync(payload, cts.Token).AsTask();
        var received = new byte[payload.Length];
        await stream.ReadExactlyAsync(received, cts.Token);
        await send;
        Assert.True(received.AsSpan().SequenceEqual(payload), "the open connection's echo differs");
    }
}
