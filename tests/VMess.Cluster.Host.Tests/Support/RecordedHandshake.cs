using System.Buffers;
using System.Net;
using System.Net.Sockets;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>What one connection that sent <see cref="RecordedHandshake.Bytes"/> saw.</summary>
internal enum ProbeOutcome
{
    /// <summary>The node answered with a response header for this request and echoed the payload: it accepted.</summary>
    Accepted,

    /// <summary>The node closed (or reset) the connection without sending a byte: it refused.</summary>
    Refused,

    /// <summary>Anything else: some bytes that do not make an echo, or nothing within the timeout.</summary>
    Inconclusive,
}

/// <summary>
/// One AEAD VMess request from our own client encoder, as an attacker who recorded it would hold it: auth id, header
/// (a TCP command to <c>127.0.0.1:port</c>) and a first body chunk, in one byte array that can be sent as it is to
/// any node. The payload is larger than any node's drain (at most 3,382 bytes), so a refusing node closes at once.
/// </summary>
internal sealed class RecordedHandshake
{
    private const int PayloadSize = 8 * 1024;

    private readonly ClientSession _session;

    private RecordedHandshake(ClientSession session, byte[] payload, byte[] bytes)
    {
        _session = session;
        Payload = payload;
        Bytes = bytes;
    }

    public byte[] Payload { get; }

    public byte[] Bytes { get; }

    public static RecordedHandshake Create(ClientAccount account, int echoPort)
    {
        var random = CryptoRandomSource.Instance;
        var header = RequestHeader.CreateRandom(random, RequestCommand.Tcp, DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echoPort),
            account.Security, account.DefaultOptions);
        var session = new ClientSession(account, header);
        var request = new byte[ClientSession.MaxRequestLength];
        var requestLength = session.EncodeRequest(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), random, request);
        var payload = new byte[PayloadSize];
        random.Fill(payload);
        using var body = SessionBodies.CreateRequestEncoder(session, random);
        var chunks = new byte[body.GetMaxEncodedLength(payload.Length)];
        var chunksLength = body.Encode(payload, chunks);
        return new RecordedHandshake(session, payload, [.. request.AsSpan(0, requestLength), .. chunks.AsSpan(0, chunksLength)]);
    }

    /// <summary>Reads what the node sends back on <paramref name="socket"/> (after <see cref="Bytes"/> were sent) until it
    /// tells the outcome, or <paramref name="timeout"/>.</summary>
    public async Task<ProbeOutcome> ReadOutcomeAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(received.GetMemory(16 * 1024), SocketFlags.None, cts.Token);
                if (n == 0) return received.WrittenCount == 0 ? ProbeOutcome.Refused : ProbeOutcome.Inconclusive;
                received.Advance(n);
                if (EchoComplete(received.WrittenSpan)) return ProbeOutcome.Accepted;
            }
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return received.WrittenCount == 0 ? ProbeOutcome.Refused : ProbeOutcome.Inconclusive;
        }
        catch (OperationCanceledException)
        {
            return ProbeOutcome.Inconclusive;
        }
    }

    /// <summary>Whether <paramref name="response"/> holds this request's response header and the whole payload echoed.</summary>
    private bool EchoComplete(ReadOnlySpan<byte> response)
    {
        if (_session.DecodeResponse(response, out _, out var headerLength, out _) != OperationStatus.Done) return false;
        using var decoder = SessionBodies.CreateResponseDecoder(_session, response[..headerLength]);
        var rest = response[headerLength..];
        var echoed = new byte[Payload.Length];
        var count = 0;
        var output = new byte[Math.Max(decoder.MaxChunkPayloadLength, 1)];
        while (count < echoed.Length)
        {
            var status = decoder.Decode(rest, output, out var consumed, out var written, out var ended, out _);
            if (status != OperationStatus.Done || ended || count + written > echoed.Length) break;
            output.AsSpan(0, written).CopyTo(echoed.AsSpan(count));
            count += written;
            rest = rest[consumed..];
        }
        return count == echoed.Length && echoed.AsSpan().SequenceEqual(Payload);
    }
}
