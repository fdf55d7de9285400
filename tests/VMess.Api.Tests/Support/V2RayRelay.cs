using System.Net;
using System.Net.Sockets;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Api.Tests.Support;

/// <summary>
/// A real v2ray client (dokodemo-door → vmess, AEAD) in front of the node's VMess inbound, towards an echo server:
/// whether a user authenticates is whether bytes come back.
/// </summary>
internal sealed class V2RayRelay : IAsyncDisposable
{
    /// <summary>Larger than any drain of a refused connection (ProbeResistance), so a refusal ends in a close, not a wait.</summary>
    private const int PayloadSize = 8 * 1024;

    private readonly TcpEchoServer _echo;
    private readonly V2RayProcess _client;
    private readonly int _port;

    private V2RayRelay(TcpEchoServer echo, V2RayProcess client, int port)
    {
        _echo = echo;
        _client = client;
        _port = port;
    }

    public string Output => _client.Output;

    public static async Task<V2RayRelay> StartAsync(int serverPort, string userId, ITestOutputHelper output, CancellationToken ct)
    {
        var echo = new TcpEchoServer();
        try
        {
            var port = FreePort.Tcp();
            var client = await V2RayProcess.StartAsync(
                V2RayConfigs.Client(port, "127.0.0.1", echo.Port, serverPort, userId, alterId: 0, "aes-128-gcm", network: "tcp"), [port], output, ct);
            return new V2RayRelay(echo, client, port);
        }
        catch
        {
            await echo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a payload through v2ray and reads until it has come back or the connection closes: true when it all came back.</summary>
    public async Task<bool> EchoesAsync(CancellationToken ct)
    {
        var payload = Payloads.Random(PayloadSize, seed: 11);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), ct);
        await socket.SendAsync(payload, SocketFlags.None, ct);
        var received = new byte[PayloadSize];
        var total = 0;
        try
        {
            while (total < received.Length)
            {
                var read = await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None, ct);
                if (read == 0) break;
                total += read;
            }
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
