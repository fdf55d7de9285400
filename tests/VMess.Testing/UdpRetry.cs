using System.Net.Sockets;

namespace VMess.Testing;

public static class UdpRetry
{
    /// <summary>
    /// Sends <paramref name="datagram"/> and returns the first reply, resending every 3 s up to 5 times: UDP may lose a
    /// datagram while a client sets up its VMess connection.
    /// </summary>
    public static async Task<byte[]> SendUntilAnsweredAsync(UdpClient udp, byte[] datagram, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await udp.SendAsync(datagram, ct);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                return (await udp.ReceiveAsync(wait.Token)).Buffer;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && attempt < 5)
            {
            }
        }
    }
}
