using System.Net;
using System.Net.Sockets;

namespace VMess.Relay.Outbound;

/// <summary>Name resolution and connects shared by the outbounds: one timeout per connect, IPv4 preferred.</summary>
internal static class Dialer
{
    /// <summary>
    /// A socket connected to <paramref name="host"/>:<paramref name="port"/> (TCP with NoDelay, or a connected UDP
    /// socket) within <paramref name="timeout"/>; running out of time is a <see cref="SocketException"/> (TimedOut),
    /// while a cancelled <paramref name="cancellationToken"/> is an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<Socket> ConnectAsync(string host, int port, SocketType type, AddressFamily family, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Socket? socket = null;
        try
        {
            var address = IPAddress.TryParse(host, out var ip) ? ip : await ResolveAsync(host, family, deadline.Token).ConfigureAwait(false);
            socket = type == SocketType.Dgram
                ? new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
                : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(address, port), deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, AddressFamily family, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(host, family, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        // Prefer IPv4 when the name has both, as Go's dialer usually ends up doing on dual-stack hosts.
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }
}
