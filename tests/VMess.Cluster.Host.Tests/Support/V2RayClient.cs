using System.Net;
using System.Net.Sockets;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// A real v2ray client (dokodemo-door → vmess, AEAD) in front of a node's VMess inbound, towards an echo server:
/// whether a user authenticates is whether bytes come back.
/// </summary>
internal sealed class V2RayClient : IAsyncDisposable
{
    /// <summary>Larger than any drain of a refused connection, so a refusal ends in a close, not a wait.</summary>
    public const int PayloadSize = 8 * 1024;

    private readonly TcpEchoServer _echo;
    private readonly V2RayProcess _client;
    private readonly int _port;

    private V2RayClient(TcpEchoServer echo, V2RayProcess client, int port) => (_echo, _client, _port) = (echo, client, port);

    public static async Task<V2RayClient> StartAsync(int serverPort, string userId, ITestOutputHelper output, CancellationToken ct)
    {
        var echo = new TcpEchoServer();
        try
        {
            var port = FreePort.Tcp();
            var client = await V2RayProcess.StartAsync(
                V2RayConfigs.Client(port, "127.0.0.1", echo.Port, serverPort, userId, 0, "aes-128-gcm", "tcp"), [port], output, ct);
            return new V2RayClient(echo, client, port);
        }
        catch
        {
            await echo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Tries until a payload comes back through v2ray (<paramref name="expected"/> true) or does not: the registry's
    /// change reaches the inbound a moment after the command returns.
    /// </summary>
    public async Task WaitUntilEchoesAsync(bool expected, CancellationToken ct)
    {
        while (await EchoesAsync(ct) != expected) await Task.Delay(100, ct);
    }

    private async Task<bool> EchoesAsync(CancellationToken ct)
    {
        var payload = Payloads.Random(PayloadSize, seed: 23);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), ct);
        await socket.SendAsync(payload, SocketFlags.None, ct);
        var received = new byte[PayloadSize];
        var total = 0;
        try
        {
            while (total < received.Length && await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None, ct) is var read and > 0) total += read;
        }
        catch (SocketException)
        {
            // a refused connection may end in a reset
        }
        return total == PayloadSize && received.AsSpan().SequenceEqual(payload);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _echo.DisposeAsync();
    }
}
