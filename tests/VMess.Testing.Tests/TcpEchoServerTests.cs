using System.Net;
using System.Net.Sockets;

namespace VMess.Testing.Tests;

public sealed class TcpEchoServerTests
{
    [Fact]
    public async Task Echo_should_xor_every_byte_and_propagate_half_close()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var echo = new TcpEchoServer(xorKey: 0x5A);
        var payload = Payloads.Random(100_000, seed: 3);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(echo.EndPoint, cts.Token);

        var sending = Task.Run(async () =>
        {
            await socket.SendAsync(payload, SocketFlags.None, cts.Token);
            socket.Shutdown(SocketShutdown.Send);
        }, cts.Token);
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        await sending;
        Assert.Equal(payload.Select(b => (byte)(b ^ 0x5A)).ToArray(), received.ToArray());
    }
}
