using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace VMess.Relay.Tests.Support;

/// <summary>What a peer saw of a connection it read until the other side closed it.</summary>
/// <param name="Bytes">Everything received.</param>
/// <param name="Reset">True when the connection ended with a reset rather than a clean end of stream.</param>
internal sealed record ClosedConnection(byte[] Bytes, bool Reset);

/// <summary>Loopback TCP plumbing for the tests: echo round trips, streamed transfers, reading until closed.</summary>
internal static class Tcp
{
    public static async Task<Socket> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="payload"/> while reading the echo until as many bytes came back (or the peer closed), then
    /// half-closes and returns what came back, including anything that arrives before the peer's end of stream.
    /// </summary>
    /// <remarks>
    /// The sender half-closes only once the echo is complete because the v2ray 4.34 client drops a reply that is
    /// still on its way: its dokodemo-door gives the downlink only policy downlinkOnly (1 s) of silence after the
    /// request ended, which a loaded machine can exceed.
    /// </remarks>
    public static async Task<byte[]> RoundTripAsync(int port, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        using var socket = await ConnectAsync(port, ct);
        var send = SendAllAsync(socket, payload, ct);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while (received.Length < payload.Length && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        await send;
        socket.Shutdown(SocketShutdown.Send);
        received.Write((await ReadUntilClosedAsync(socket, ct)).Bytes);
        return received.ToArray();
    }

    /// <summary>
    /// Streams <paramref name="length"/> seeded pseudo-random bytes (generated block by block, never held whole) while
    /// reading the echo, half-closes once it is complete (as <see cref="RoundTripAsync"/>), and returns the SHA-256 of what was sent and of what came back, and how much came back.
    /// </summary>
    public static async Task<(string SentSha256, string ReceivedSha256, long ReceivedLength)> StreamRoundTripAsync(
        int port, long length, int seed, CancellationToken ct)
    {
        using var socket = await ConnectAsync(port, ct);
        return await StreamRoundTripAsync(socket, length, seed, ct);
    }

    /// <summary>
    /// Streams <paramref name="length"/> bytes each way on one connection per seed, all at once, and describes the
    /// ones that did not come back whole (an empty list when all did).
    /// </summary>
    public static async Task<List<string>> ConcurrentStreamFailuresAsync(int port, long length, IReadOnlyList<int> seeds, CancellationToken ct)
    {
        var results = await Task.WhenAll(seeds.Select(seed => StreamRoundTripAsync(port, length, seed, ct)));
        return Enumerable.Range(0, seeds.Count)
            .Where(i => results[i].SentSha256 != results[i].ReceivedSha256 || results[i].ReceivedLength != length)
            .Select(i => $"seed {seeds[i]}: {results[i].ReceivedLength} of {length} bytes")
            .ToList();
    }

    /// <summary>As above, over a socket that is already connected (e.g. through a SOCKS5 CONNECT).</summary>
    public static async Task<(string SentSha256, string ReceivedSha256, long ReceivedLength)> StreamRoundTripAsync(
        Socket socket, long length, int seed, CancellationToken ct)
    {
        var send = Task.Run(async () =>
        {
            using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var random = new Random(seed);
            var block = new byte[256 * 1024];
            for (long sent = 0; sent < length;)
            {
                var size = (int)Math.Min(block.Length, length - sent);
                random.NextBytes(block.AsSpan(0, size));
                sentHash.AppendData(block, 0, size);
                await SendAllAsync(socket, block.AsMemory(0, size), ct);
                sent += size;
            }

            return Convert.ToHexStringLower(sentHash.GetHashAndReset());
        }, ct);

        using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        long received = 0;
        int read;
        while (received < length && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            receivedHash.AppendData(buffer, 0, read);
            received += read;
        }

        var sentSha256 = await send;
        socket.Shutdown(SocketShutdown.Send);
        var trailing = await ReadUntilClosedAsync(socket, ct);
        receivedHash.AppendData(trailing.Bytes);
        received += trailing.Bytes.Length;
        return (sentSha256, Convert.ToHexStringLower(receivedHash.GetHashAndReset()), received);
    }

    /// <summary>Reads until the peer closes (cleanly or by reset) and returns what arrived.</summary>
    public static async Task<ClosedConnection> ReadUntilClosedAsync(Socket socket, CancellationToken ct)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return new ClosedConnection(received.ToArray(), Reset: false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new ClosedConnection(received.ToArray(), Reset: true);
        }
    }

    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, ct);
            data = data[sent..];
        }
    }
}
