using System.Buffers;
using System.Net.Sockets;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;

namespace VMess.Relay.Tests.Support;

/// <summary>What <see cref="VMessTestClient"/> got back.</summary>
/// <param name="HeaderReceived">The node answered with a valid response header.</param>
/// <param name="Payload">The response body's payload.</param>
/// <param name="EndOfStream">The body ended with its end-of-stream chunk.</param>
/// <param name="CleanClose">After the body, the node closed with FIN (no reset, no stray bytes).</param>
internal sealed record VMessReply(bool HeaderReceived, byte[] Payload, bool EndOfStream, bool CleanClose);

/// <summary>
/// A test-only VMess client on our codec (ClientSession), for what the real v2ray 4.34 client cannot do: send the
/// request, the payload and the end-of-stream chunk, half-close, and then read the whole response.
/// </summary>
internal static class VMessTestClient
{
    /// <summary>Sends request + payload + end of stream, shuts down sending, and reads the response until the node closes.</summary>
    /// <param name="now">The client's clock (unix seconds), written into the auth id.</param>
    public static async Task<VMessReply> ExchangeAsync(int nodePort, VMessUserId id, SecurityType security,
        DestinationAddress destination, ReadOnlyMemory<byte> payload, long now, CancellationToken ct)
    {
        var random = CryptoRandomSource.Instance;
        var account = new ClientAccount(id, 0, security);
        var session = new ClientSession(account,
            RequestHeader.CreateRandom(random, RequestCommand.Tcp, destination, account.Security, account.DefaultOptions));
        using var socket = await Tcp.ConnectAsync(nodePort, ct);

        using (var encoder = SessionBodies.CreateRequestEncoder(session, random))
        {
            var request = new byte[ClientSession.MaxRequestLength + encoder.GetMaxEncodedLength(payload.Length) + encoder.MaxEndOfStreamLength];
            var length = session.EncodeRequest(now, random, request);
            length += encoder.Encode(payload.Span, request.AsSpan(length));
            length += encoder.EncodeEndOfStream(request.AsSpan(length));
            await Tcp.SendAllAsync(socket, request.AsMemory(0, length), ct);
        }

        socket.Shutdown(SocketShutdown.Send);
        return await ReadReplyAsync(socket, session, ct);
    }

    private static async Task<VMessReply> ReadReplyAsync(Socket socket, ClientSession session, CancellationToken ct)
    {
        var input = new byte[256 * 1024];
        var count = 0;
        ChunkDecoder? decoder = null;
        var payload = new MemoryStream();
        var output = new byte[ChunkCodecFactory.MaxChunkSize];
        try
        {
            while (true)
            {
                if (decoder is null)
                {
                    var status = session.DecodeResponse(input.AsSpan(0, count), out _, out var consumed, out _);
                    if (status == OperationStatus.InvalidData)
                    {
                        return new VMessReply(false, [], false, false);
                    }

                    if (status == OperationStatus.Done)
                    {
                        decoder = SessionBodies.CreateResponseDecoder(session, input.AsSpan(0, consumed));
                        Shift(input, ref count, consumed);
                        continue;
                    }
                }
                else if (count > 0)
                {
                    var status = decoder.Decode(input.AsSpan(0, count), output, out var consumed, out var written, out var end, out _);
                    if (status == OperationStatus.InvalidData)
                    {
                        return new VMessReply(true, payload.ToArray(), false, false);
                    }

                    payload.Write(output, 0, written);
                    Shift(input, ref count, consumed);
                    if (end)
                    {
                        var trailing = await Tcp.ReadUntilClosedAsync(socket, ct);
                        return new VMessReply(true, payload.ToArray(), true, count == 0 && trailing.Bytes.Length == 0 && !trailing.Reset);
                    }

                    if (consumed > 0)
                    {
                        continue;
                    }
                }

                var read = await socket.ReceiveAsync(input.AsMemory(count), SocketFlags.None, ct);
                if (read == 0)
                {
                    return new VMessReply(decoder is not null, payload.ToArray(), false, false);
                }

                count += read;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new VMessReply(decoder is not null, payload.ToArray(), false, false);
        }
        finally
        {
            decoder?.Dispose();
        }
    }

    private static void Shift(byte[] buffer, ref int count, int consumed)
    {
        Buffer.BlockCopy(buffer, consumed, buffer, 0, count - consumed);
        count -= consumed;
    }
}
