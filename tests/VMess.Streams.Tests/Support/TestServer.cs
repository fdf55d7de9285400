using System.Buffers;
using VMess.Protocol;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.Testing;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// The server side of one VMess connection, from the protocol's own server API: reads what a client stage wrote
/// (handshake, then request payloads) and writes responses for it to read.
/// </summary>
internal sealed class TestServer : IDisposable
{
    private readonly ServerHandshakeDecoder _handshakeDecoder = new(TestUsers.Index(), new ServerReplayGuard(), TestUsers.Now);
    private readonly List<byte> _received = [];
    private ChunkDecoder? _requestBody;
    private ChunkEncoder? _responseBody;
    private bool _responseHeaderSent;

    public ServerHandshake? Handshake { get; private set; }

    /// <summary>Bytes of the handshake, once decoded.</summary>
    public int HandshakeLength { get; private set; }

    /// <summary>Takes client bytes; returns the request payloads they completed (one per chunk).</summary>
    public IReadOnlyList<byte[]> Receive(ReadOnlySpan<byte> bytes)
    {
        _received.AddRange(bytes.ToArray());
        var pending = _received.ToArray();
        var offset = 0;
        if (Handshake is null)
        {
            var status = _handshakeDecoder.Decode(pending, out var handshake, out var consumed, out var error);
            if (status == OperationStatus.NeedMoreData) return [];
            if (status != OperationStatus.Done) throw new InvalidDataException($"handshake: {status} {error}");
            Handshake = handshake!;
            HandshakeLength = consumed;
            offset = consumed;
            _requestBody = SessionBodies.CreateRequestDecoder(Handshake);
            _responseBody = SessionBodies.CreateResponseEncoder(Handshake, new SeededRandomSource(3));
        }
        var payloads = new List<byte[]>();
        var output = new byte[Math.Max(pending.Length, ChunkCodecFactory.MaxChunkSize)];
        while (offset < pending.Length && !RequestEnded)
        {
            var status = _requestBody!.Decode(pending.AsSpan(offset), output, out var consumed, out var written, out _, out var error);
            if (status == OperationStatus.InvalidData) throw new InvalidDataException($"request body: {error}");
            if (status != OperationStatus.Done) break;
            if (written > 0) payloads.Add(output[..written]);
            offset += consumed;
        }
        _received.RemoveRange(0, offset);
        return payloads;
    }

    public bool RequestEnded => _requestBody?.IsCompleted ?? false;

    /// <summary>The response header (first call only, with <paramref name="responseAuth"/> or the right one) and one payload.</summary>
    public byte[] Response(ReadOnlySpan<byte> payload, byte? responseAuth = null)
    {
        var handshake = Handshake ?? throw new InvalidOperationException("no handshake yet");
        var buffer = new byte[ResponseHeaderCodec.MaxEncodedLength + 64 + _responseBody!.GetMaxEncodedLength(payload.Length)];
        var written = 0;
        if (!_responseHeaderSent)
        {
            _responseHeaderSent = true;
            written = ServerResponse.Encode(handshake, new ResponseHeader(responseAuth ?? handshake.Header.ResponseAuth), _responseBody, buffer);
        }
        written += _responseBody.IsPacket ? _responseBody.EncodePacket(payload, buffer.AsSpan(written)) : _responseBody.Encode(payload, buffer.AsSpan(written));
        return buffer[..written];
    }

    public byte[] EndOfStream()
    {
        var buffer = new byte[_responseBody!.MaxEndOfStreamLength];
        return buffer[.._responseBody.EncodeEndOfStream(buffer)];
    }

    public void Dispose()
    {
        _requestBody?.Dispose();
        _responseBody?.Dispose();
    }
}
