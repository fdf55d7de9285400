using System.Collections.Immutable;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// Connections that never become a VMess request — random bytes, a real handshake cut short, silence — are closed
/// (drained first where V2Ray drains), counted by cause, and leave the node serving a real v2ray 4.34 client.
/// </summary>
public sealed class MalformedConnectionSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // A closed connection must be seen well within this; the node's handshake timeout in these tests is 2 s at most.
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Node_should_drain_then_close_a_random_byte_connection()
    {
        const int Seed = 100;
        using var cts = new CancellationTokenSource(Timeout);
        // Default (60 s) handshake timeout: only the drain can end this connection in time.
        await using var setup = await Setup.StartAsync(Sys, handshakeSeconds: null, Output, cts.Token);
        using var prober = await Support.Tcp.ConnectAsync(setup.Node.Port, cts.Token);

        // More than the most the node drains (3382 bytes).
        await Support.Tcp.SendAllAsync(prober, Payloads.Random(4096, Seed), cts.Token);
        var closed = await ReadUntilClosedAsync(prober, $"seed {Seed}", cts.Token);

        Assert.Empty(closed.Bytes);
        await AwaitAssertAsync(() => Assert.Equal(Counted("UnknownUser"), setup.Node.Rejections.Snapshot()), CloseWait);
        await setup.AssertTransferWorksAsync(cts.Token);
    }

    [Fact]
    public async Task Node_should_close_a_random_byte_connection_that_stops_sending_while_drained_at_the_handshake_timeout()
    {
        const int Seed = 101;
        using var cts = new CancellationTokenSource(Timeout);
        await using var setup = await Setup.StartAsync(Sys, handshakeSeconds: 2, Output, cts.Token);
        using var prober = await Support.Tcp.ConnectAsync(setup.Node.Port, cts.Token);

        // 50 bytes, less than the node ever drains (54..3382 bytes), then silence.
        await Support.Tcp.SendAllAsync(prober, Payloads.Random(50, Seed), cts.Token);
        var closed = await ReadUntilClosedAsync(prober, $"seed {Seed}", cts.Token);

        Assert.Empty(closed.Bytes);
        await AwaitAssertAsync(() => Assert.Equal(Counted("UnknownUser"), setup.Node.Rejections.Snapshot()), CloseWait);
        await setup.AssertTransferWorksAsync(cts.Token);
    }

    [Fact]
    public async Task Node_should_close_a_truncated_real_client_handshake_and_count_it_as_closed_before_handshake()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var setup = await Setup.StartAsync(Sys, handshakeSeconds: 2, Output, cts.Token);
        var handshake = await setup.CaptureRealHandshakeAsync(cts.Token);
        using var truncated = await Support.Tcp.ConnectAsync(setup.Node.Port, cts.Token);

        // The 16-byte auth id, the sealed length and part of the nonce: authenticated, but the header never completes.
        await Support.Tcp.SendAllAsync(truncated, handshake.AsMemory(0, 40), cts.Token);
        truncated.Shutdown(SocketShutdown.Send);
        var closed = await ReadUntilClosedAsync(truncated, "truncated handshake", cts.Token);

        Assert.Empty(closed.Bytes);
        await AwaitAssertAsync(() => Assert.Equal(Counted("ClosedBeforeHandshake"), setup.Node.Rejections.Snapshot()), CloseWait);
        await setup.AssertTransferWorksAsync(cts.Token);
    }

    [Fact]
    public async Task Node_should_close_a_silent_connection_at_the_handshake_timeout()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var setup = await Setup.StartAsync(Sys, handshakeSeconds: 1, Output, cts.Token);
        using var silent = await Support.Tcp.ConnectAsync(setup.Node.Port, cts.Token);

        var closed = await ReadUntilClosedAsync(silent, "silent connection", cts.Token);

        Assert.Empty(closed.Bytes);
        await AwaitAssertAsync(() => Assert.Equal(Counted("HandshakeTimeout"), setup.Node.Rejections.Snapshot()), CloseWait);
        await setup.AssertTransferWorksAsync(cts.Token);
    }

    private static ImmutableSortedDictionary<string, long> Counted(string cause) =>
        ImmutableSortedDictionary<string, long>.Empty.Add(cause, 1);

    private static async Task<ClosedConnection> ReadUntilClosedAsync(Socket socket, string what, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(CloseWait);
        try
        {
            return await Support.Tcp.ReadUntilClosedAsync(socket, wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the node did not close the connection ({what}) within {CloseWait}");
        }
    }

    /// <summary>
    /// A node with one AEAD user and a real v2ray client with two routes: one through the node to an echo server, one to a
    /// capturing listener that records the client's handshake without answering.
    /// </summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly TcpEchoServer _echo;
        private readonly CapturingListener _capture;
        private readonly V2RayProcess _client;
        private readonly int _transferPort;
        private readonly int _capturePort;

        private Setup(TestNode node, TcpEchoServer echo, CapturingListener capture, V2RayProcess client, int transferPort, int capturePort)
        {
            Node = node;
            _echo = echo;
            _capture = capture;
            _client = client;
            _transferPort = transferPort;
            _capturePort = capturePort;
        }

        public TestNode Node { get; }

        public static async Task<Setup> StartAsync(Akka.Actor.ActorSystem system, int? handshakeSeconds, ITestOutputHelper output, CancellationToken ct)
        {
            var user = NodeUser.Aead("user@test");
            var node = TestNode.Start(system, NodeConfigs.Json([user], handshakeSeconds: handshakeSeconds));
            var echo = new TcpEchoServer();
            var capture = new CapturingListener();
            int transferPort = FreePort.Tcp(), capturePort = FreePort.Tcp();
            try
            {
                var client = await V2RayProcess.StartAsync(ClientRoute.ClientConfig([
                    new ClientRoute(transferPort, echo.Port, node.Port, user, "aes-128-gcm"),
                    new ClientRoute(capturePort, echo.Port, capture.Port, user, "aes-128-gcm"),
                ]), [transferPort, capturePort], output, ct);
                return new Setup(node, echo, capture, client, transferPort, capturePort);
            }
            catch
            {
                await capture.DisposeAsync();
                await echo.DisposeAsync();
                throw;
            }
        }

        /// <summary>What the real client sends first for a new connection (its request and some body), never seen by the node.</summary>
        public async Task<byte[]> CaptureRealHandshakeAsync(CancellationToken ct)
        {
            using var socket = await Support.Tcp.ConnectAsync(_capturePort, ct);
            await Support.Tcp.SendAllAsync(socket, Payloads.Random(1024, seed: 102), ct);
            return await _capture.NextConnectionBytesAsync(minBytes: 200, TimeSpan.FromSeconds(15), ct);
        }

        public async Task AssertTransferWorksAsync(CancellationToken ct)
        {
            var payload = Payloads.Random(256 * 1024, seed: 103);
            var echoed = await Support.Tcp.RoundTripAsync(_transferPort, payload, ct);
            Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed),
                $"seed 103: {echoed.Length} of {payload.Length} bytes came back after the bad connection\n{_client.Output}");
        }

        public async ValueTask DisposeAsync()
        {
            await _client.DisposeAsync();
            await _capture.DisposeAsync();
            await _echo.DisposeAsync();
        }
    }
}
