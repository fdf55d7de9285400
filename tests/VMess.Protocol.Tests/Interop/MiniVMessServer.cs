using System.Buffers;
using System.Net;
using System.Net.Sockets;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;

namespace VMess.Protocol.Tests.Interop;

/// <summary>
/// The smallest VMess server the codec allows, for interop tests only: handshake, response header, and body
/// pumps to a TCP or UDP destination. The relay proper (actors, stages, policies) is the relay issue's.
/// </summary>
internal sealed class MiniVMessServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly UserKeyIndex _users;
    private readonly ServerReplayGuard _replay = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;

    public MiniVMessServer(UserKeyIndex users)
    {
        _users = users;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public List<Exception> Failures { get; } = [];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            lock (_connections) _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var ct = _stop.Token;
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[64 * 1024];
            var count = 0;
            var decoder = new ServerHandshakeDecoder(_users, _replay, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            ServerHandshake? handshake;
            int consumed;
            while (true)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(count), ct);
                if (n == 0) return;
                count += n;
                var status = decoder.Decode(buffer.AsSpan(0, count), out handshake, out consumed, out var error);
                if (status == OperationStatus.Done) break;
                if (status == OperationStatus.InvalidData) throw new InvalidDataException("handshake: " + error.Describe());
            }
            using var requestBody = SessionBodies.CreateRequestDecoder(handshake!);
            using var responseBody = SessionBodies.CreateResponseEncoder(handshake!, CryptoRandomSource.Instance);
            var header = new byte[ServerResponse.GetEncodedLength(handshake!, new ResponseHeader(handshake!.Header.ResponseAuth))];
            ServerResponse.Encode(handshake, new ResponseHeader(handshake.Header.ResponseAuth), responseBody, header);
            await stream.WriteAsync(header, ct);
            var rest = buffer.AsMemory(consumed, count - consumed);
            var target = handshake.Header.Destination!;
            if (handshake.Header.Command == RequestCommand.Udp)
            {
                await RelayUdpAsync(stream, rest, requestBody, responseBody, new IPEndPoint(target.Ip!, target.Port), ct);
                return;
            }
            using var upstream = new TcpClient(AddressFamily.InterNetwork);
            await upstream.ConnectAsync(target.Ip!, target.Port, ct);
            var up = upstream.GetStream();
            var uplink = BodyPump.DecodeAsync(stream, rest, requestBody, p => up.WriteAsync(p, ct), ct)
                .ContinueWith(_ => upstream.Client.Shutdown(SocketShutdown.Send), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            var downlink = BodyPump.EncodeAsync(up, responseBody, stream, ct)
                .ContinueWith(_ => client.Client.Shutdown(SocketShutdown.Send), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            await Task.WhenAll(uplink, downlink);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server is being disposed: a relay cut short by it is how a connection ends then, not a failure.
        }
        catch (Exception e)
        {
            lock (Failures) Failures.Add(e);
        }
    }

    private static async Task RelayUdpAsync(NetworkStream stream, ReadOnlyMemory<byte> rest, VMess.Protocol.Body.ChunkDecoder requestBody,
        VMess.Protocol.Body.ChunkEncoder responseBody, IPEndPoint target, CancellationToken ct)
    {
        var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(target);
        var replies = Task.Run(async () =>
        {
            var output = new byte[responseBody.GetMaxEncodedLength(2048)];
            while (!ct.IsCancellationRequested)
            {
                var datagram = await udp.ReceiveAsync(ct);
                var length = responseBody.EncodePacket(datagram.Buffer, output);
                await stream.WriteAsync(output.AsMemory(0, length), ct);
            }
        }, ct);
        try
        {
            await BodyPump.DecodeAsync(stream, rest, requestBody, async p => await udp.SendAsync(p, ct), ct);
        }
        finally
        {
            udp.Dispose(); // ends the reply loop
            try { await replies; } catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
