using System.Buffers;
using System.Net;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.Testing;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// The client side of one VMess connection, from the protocol's own client API: writes a real request (auth,
/// header, body chunks, end of stream) and reads the server's response back into payloads.
/// </summary>
internal sealed class TestClient : IDisposable
{
    public static readonly DestinationAddress Target = DestinationAddress.FromIp(IPAddress.Parse("10.1.2.3"), 8443);

    private readonly IRandomSource _random;
    private readonly ChunkEncoder _requestBody;

    public TestClient(ClientAccount account, RequestCommand command = RequestCommand.Tcp, int seed = 1, DestinationAddress? target = null)
    {
        _random = new SeededRandomSource(seed);
        var header = RequestHeader.CreateRandom(_random, command, target ?? Target, account.Security, account.DefaultOptions);
        Session = new ClientSession(account, header);
        _requestBody = SessionBodies.CreateRequestEncoder(Session, _random);
    }

    public ClientSession Session { get; }

    public bool IsPacket => _requestBody.IsPacket;

    /// <summary>Auth and request header, as sent at <paramref name="now"/>.</summary>
    public byte[] Handshake(long now = TestUsers.Now)
    {
        var buffer = new byte[ClientSession.MaxRequestLength];
        return buffer[..Session.EncodeRequest(now, _random, buffer)];
    }

    /// <summary>One payload as body bytes: stream chunks, or one packet per call for UDP.</summary>
    public byte[] Body(ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[_requestBody.GetMaxEncodedLength(payload.Length)];
        return buffer[..(IsPacket ? _requestBody.EncodePacket(payload, buffer) : _requestBody.Encode(payload, buffer))];
    }

    public byte[] EndOfStream()
    {
        var buffer = new byte[_requestBody.MaxEndOfStreamLength];
        return buffer[.._requestBody.EncodeEndOfStream(buffer)];
    }

    /// <summary>A whole request: handshake, each payload, and the end-of-stream chunk.</summary>
    public byte[] Request(IEnumerable<byte[]> payloads, bool endOfStream = true)
    {
        var parts = new List<byte[]> { Handshake() };
        parts.AddRange(payloads.Select(p => Body(p)));
        if (endOfStream) parts.Add(EndOfStream());
        return [.. parts.SelectMany(p => p)];
    }

    /// <summary>Reads a whole response: the header must authenticate; then every payload, in order.</summary>
    public DecodedResponse ReadResponse(ReadOnlySpan<byte> response)
    {
        var status = Session.DecodeResponse(response, out var header, out var headerLength, out var error);
        if (status != OperationStatus.Done) throw new InvalidDataException($"response header: {status} {error}");
        using var decoder = SessionBodies.CreateResponseDecoder(Session, response[..headerLength]);
        var payloads = new List<byte[]>();
        var rest = response[headerLength..];
        var output = new byte[Math.Max(rest.Length, decoder.MaxChunkPayloadLength)];
        var endOfStream = false;
        while (!rest.IsEmpty && !endOfStream)
        {
            status = decoder.Decode(rest, output, out var consumed, out var written, out endOfStream, out error);
            if (status == OperationStatus.InvalidData) throw new InvalidDataException($"response body: {error}");
            if (status != OperationStatus.Done) break;
            if (written > 0) payloads.Add(output[..written]);
            rest = rest[consumed..];
        }
        return new DecodedResponse(header!, payloads, endOfStream, rest.Length);
    }

    public void Dispose() => _requestBody.Dispose();
}

/// <summary>What the client read: the header, the payloads (one per datagram for UDP), whether the end-of-stream
/// chunk came, and how many bytes were left that make no whole chunk.</summary>
internal sealed record DecodedResponse(ResponseHeader Header, IReadOnlyList<byte[]> Payloads, bool EndOfStream, int TrailingBytes)
{
    public byte[] Joined => [.. Payloads.SelectMany(p => p)];
}
