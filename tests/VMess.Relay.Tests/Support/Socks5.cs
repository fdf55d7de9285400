using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// A SOCKS5 client (RFC 1928/1929), written from the RFC and independent of the node's codec, for driving the socks
/// inbound where curl cannot (UDP ASSOCIATE, many connections at once).
/// </summary>
internal static class Socks5
{
    /// <summary>Connects to the proxy and asks it to CONNECT to <paramref name="host"/>:<paramref name="port"/>; returns the tunnel.</summary>
    public static async Task<Socket> ConnectAsync(int proxyPort, string host, int port, CancellationToken ct, (string User, string Pass)? account = null)
    {
        var socket = await Tcp.ConnectAsync(proxyPort, ct);
        try
        {
            await GreetAsync(socket, account, ct);
            await RequestAsync(socket, command: 1, host, port, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>UDP ASSOCIATE: returns the control connection (the association lives while it is open) and the relay endpoint.</summary>
    public static async Task<(Socket Control, IPEndPoint Relay)> UdpAssociateAsync(int proxyPort, CancellationToken ct)
    {
        var socket = await Tcp.ConnectAsync(proxyPort, ct);
        try
        {
            await GreetAsync(socket, null, ct);
            var relay = await RequestAsync(socket, command: 3, "0.0.0.0", 0, ct);
            return (socket, relay);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A UDP request datagram: RSV RSV FRAG=0, the destination, then the payload.</summary>
    public static byte[] UdpDatagram(IPEndPoint destination, ReadOnlySpan<byte> payload)
    {
        var address = destination.Address.GetAddressBytes();
        var datagram = new byte[4 + address.Length + 2 + payload.Length];
        datagram[3] = address.Length == 4 ? (byte)1 : (byte)4;
        address.CopyTo(datagram, 4);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4 + address.Length), (ushort)destination.Port);
        payload.CopyTo(datagram.AsSpan(6 + address.Length));
        return datagram;
    }

    /// <summary>The source and payload of a UDP reply datagram (IPv4 or IPv6 source).</summary>
    public static (IPEndPoint Source, byte[] Payload) ParseUdpReply(ReadOnlySpan<byte> datagram)
    {
        var length = datagram[3] switch
        {
            1 => 4,
            4 => 16,
            var type => throw new InvalidDataException($"unexpected address type {type} in a UDP reply"),
        };
        var source = new IPEndPoint(new IPAddress(datagram.Slice(4, length)), BinaryPrimitives.ReadUInt16BigEndian(datagram[(4 + length)..]));
        return (source, datagram[(6 + length)..].ToArray());
    }

    private static async Task GreetAsync(Socket socket, (string User, string Pass)? account, CancellationToken ct)
    {
        await Tcp.SendAllAsync(socket, account is null ? new byte[] { 5, 1, 0 } : new byte[] { 5, 1, 2 }, ct);
        var choice = await ReadExactlyAsync(socket, 2, ct);
        if (choice[0] != 5 || choice[1] == 0xFF) throw new IOException($"the proxy accepted no offered method (reply {choice[0]} {choice[1]})");
        if (account is not { } a) return;
        var user = Encoding.UTF8.GetBytes(a.User);
        var pass = Encoding.UTF8.GetBytes(a.Pass);
        await Tcp.SendAllAsync(socket, (byte[])[1, (byte)user.Length, .. user, (byte)pass.Length, .. pass], ct);
        var status = await ReadExactlyAsync(socket, 2, ct);
        if (status[1] != 0) throw new IOException($"the proxy refused the account (status {status[1]})");
    }

    private static async Task<IPEndPoint> RequestAsync(Socket socket, byte command, string host, int port, CancellationToken ct)
    {
        byte[] address = IPAddress.TryParse(host, out var ip)
            ? [ip.AddressFamily == AddressFamily.InterNetwork ? (byte)1 : (byte)4, .. ip.GetAddressBytes()]
            : [3, (byte)Encoding.ASCII.GetByteCount(host), .. Encoding.ASCII.GetBytes(host)];
        await Tcp.SendAllAsync(socket, (byte[])[5, command, 0, .. address, (byte)(port >> 8), (byte)port], ct);
        var head = await ReadExactlyAsync(socket, 4, ct);
        if (head[1] != 0) throw new IOException($"the proxy refused the request (reply {head[1]})");
        var length = head[3] switch
        {
            1 => 4,
            4 => 16,
            3 => (await ReadExactlyAsync(socket, 1, ct))[0],
            var type => throw new InvalidDataException($"unexpected address type {type} in the reply"),
        };
        var bound = await ReadExactlyAsync(socket, length + 2, ct);
        var boundPort = BinaryPrimitives.ReadUInt16BigEndian(bound.AsSpan(length));
        return head[3] == 3 ? new IPEndPoint(IPAddress.Loopback, boundPort) : new IPEndPoint(new IPAddress(bound.AsSpan(0, length)), boundPort);
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int length, CancellationToken ct)
    {
        var buffer = new byte[length];
        for (var read = 0; read < length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            if (n == 0) throw new EndOfStreamException($"the proxy closed after {read} of {length} reply bytes");
            read += n;
        }
        return buffer;
    }
}
