using System.Net.Sockets;

namespace VMess.Testing;

public static class UdpRetry
{
    /// <summary>
    /// Sends <paramref name="datagram"/> and returns the first reply, resending every 3 s up to 5 times: UDP may lose a
    /// datagram while a client sets up its VMess connection. A reply equal to one of <paramref name="earlier"/> (this
    /// socket's datagrams already answered) is skipped: a resent one may be answered twice, the second time late.
    /// </summary>
    public static async Task<byte[]> SendUntilAnsweredAsync(UdpClient udp, byte[] datagram, CancellationToken ct,
        IReadOnlyCollection<byte[]>? earlier = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            await udp.SendAsync(datagram, ct);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                while (true)
                {
                    var reply = (await udp.ReceiveAsync(wait.Token)).Buffer;
                    if (earlier is null || !earlier.Any(e => e.AsSpan().SequenceEqual(reply))) return reply;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && attempt < 5)
            {
            }
        }
    }
}
