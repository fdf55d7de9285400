using System.Net.Sockets;
using VMess.Testing;

namespace VMess.Relay.Tests.Support;

/// <summary>Exchanges on a connection held open to an echo server.</summary>
internal static class Echo
{
    /// <summary>Sends 1 KiB and asserts the same bytes come back: the connection still carries traffic both ways.</summary>
    public static async Task PingAsync(Socket socket, CancellationToken ct)
    {
        var ping = Payloads.Random(1024, seed: 99);
        await Tcp.SendAllAsync(socket, ping, ct);
        var buffer = new byte[ping.Length];
        var received = 0;
        while (received < ping.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, ct);
            Assert.True(read > 0, "the held connection closed");
            received += read;
        }
        Assert.Equal(ping, buffer);
    }
}
