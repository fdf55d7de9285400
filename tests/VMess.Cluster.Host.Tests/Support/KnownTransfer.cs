using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using VMess.Testing;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// A transfer of known size each way through a v2ray client: <see cref="Up"/> payload bytes to the target, which
/// answers with <see cref="Down"/> bytes (<see cref="ServeAsync"/>). The uplink's first 8 bytes carry both sizes, so
/// the target needs no list of the test's transfers and a longer uplink never passes for a shorter one.
/// </summary>
internal readonly record struct KnownTransfer(int Up, int Down)
{
    private const int SizesLength = 8;

    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs the transfer through the v2ray client at <paramref name="port"/>, again while the node refuses the user
    /// (a refused connection carries no counted byte); checks the downlink. Returns as soon as the last downlink byte
    /// is in, without waiting for the end of the stream: v2ray's client sends that only after its uplinkOnly timer, a
    /// second or more later, by when the node may have reported the transfer. Fails after <see cref="Bound"/>.
    /// </summary>
    public async Task RunUntilServedAsync(int port)
    {
        using var cts = new CancellationTokenSource(Bound);
        var uplink = Uplink();
        var expected = Payloads.Sha256Hex(Downlink(Down));
        while (true)
        {
            using var tcp = new TcpClient(AddressFamily.InterNetwork);
            await tcp.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            var stream = tcp.GetStream();
            var received = new byte[Down];
            var count = 0;
            try
            {
                var send = stream.WriteAsync(uplink, cts.Token).AsTask();
                int n;
                while (count < Down && (n = await stream.ReadAsync(received.AsMemory(count), cts.Token)) > 0) count += n;
                await send;
            }
            catch (IOException)
            {
                // refused: the node closed while the payload was still going
            }
            if (count == Down)
            {
                Assert.Equal(expected, Payloads.Sha256Hex(received));
                return;
            }
            Assert.True(count == 0, $"a transfer of {this} returned {count} of {Down} bytes");
            await Task.Delay(100, cts.Token);
        }
    }

    /// <summary>The target's side (a <see cref="LoopbackTcpServer"/> handler): reads the uplink, answers the downlink.</summary>
    public static async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var header = new byte[SizesLength];
        var read = 0;
        var (up, down) = (int.MaxValue, 0);
        while (read < up)
        {
            var n = await socket.ReceiveAsync(buffer, ct);
            if (n == 0) return;
            if (read < SizesLength) buffer.AsSpan(0, Math.Min(n, SizesLength - read)).CopyTo(header.AsSpan(read));
            read += n;
            if (read >= SizesLength && up == int.MaxValue)
            {
                up = BinaryPrimitives.ReadInt32LittleEndian(header);
                down = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
            }
        }
        await socket.SendAsync(Downlink(down), ct);
        socket.Shutdown(SocketShutdown.Send);
    }

    public static KnownTransfer operator +(KnownTransfer a, KnownTransfer b) => new(a.Up + b.Up, a.Down + b.Down);

    public override string ToString() => $"{Up} bytes up, {Down} down";

    private byte[] Uplink()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Up, SizesLength);
        var payload = Payloads.Random(Up, seed: Up);
        BinaryPrimitives.WriteInt32LittleEndian(payload, Up);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), Down);
        return payload;
    }

    private static byte[] Downlink(int length) => Payloads.Random(length, seed: length);
}
