using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VMess.Testing;

/// <summary>
/// A minimal HTTP/1.1 origin server on 127.0.0.1 for proxy tests: <c>GET /bytes/{length}/{seed}</c> answers with
/// <see cref="Payloads.Random"/>(length, seed); anything else is a 404. One request per connection (it closes after
/// answering), and every request head is recorded as received, so a test can check what a proxy forwarded.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private readonly LoopbackTcpServer _server;

    public LoopbackHttpServer() => _server = new LoopbackTcpServer(ServeAsync);

    public IPEndPoint EndPoint => _server.EndPoint;

    public int Port => _server.Port;

    /// <summary>The request heads received so far (request line and headers, without the blank line).</summary>
    public ConcurrentQueue<string> RequestHeads { get; } = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>The URL path that returns <paramref name="length"/> bytes of seed <paramref name="seed"/>.</summary>
    public static string BytesPath(int length, int seed) => $"/bytes/{length}/{seed}";

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        var head = await ReadHeadAsync(socket, ct);
        if (head is null) return;
        RequestHeads.Enqueue(head);
        var target = head.Split("\r\n")[0].Split(' ') is [_, var path, ..] ? path : "";
        var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        byte[] body;
        string status;
        if (parts is ["bytes", var length, var seed] && int.TryParse(length, out var n) && int.TryParse(seed, out var s))
        {
            body = Payloads.Random(n, s);
            status = "200 OK";
        }
        else
        {
            body = Encoding.ASCII.GetBytes("not found\n");
            status = "404 Not Found";
        }
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await SendAllAsync(socket, response, ct);
        await SendAllAsync(socket, body, ct);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<string?> ReadHeadAsync(Socket socket, CancellationToken ct)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (received.Count < MaxHeadBytes)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0) return null;
            received.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.ASCII.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0) return text[..end];
        }
        return null;
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, SocketFlags.None, ct)..];
        }
    }
}
