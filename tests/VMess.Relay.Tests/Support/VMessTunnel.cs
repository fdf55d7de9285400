using System.Buffers;
using System.Net;
using System.Net.Sockets;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// A VMess TCP connection on our codec that stays open: every <see cref="EchoAsync"/> sends one chunk and reads the
/// echoed bytes back, and <see cref="ReadUntilClosedAsync"/> waits for the node to close it. For tests about
/// connections the node ends on its own.
/// </summary>
internal sealed class VMessTunnel : IDisposable
{
    private readonly Socket _socket;
    private readonly ClientSession _session;
    private readonly ChunkEncoder _encoder;
    private readonly byte[] _input = new byte[256 * 1024];
    private readonly byte[] _output = new byte[ChunkCodecFactory.MaxChunkSize];
    private ChunkDecoder? _decoder;
    private int _count;
    private bool _requestSent;

    private VMessTunnel(Socket socket, ClientSession session)
    {
        _socket = socket;
        _session = session;
        _encoder = SessionBodies.CreateRequestEncoder(session, CryptoRandomSource.Instance);
    }

    /// <summary>Connects to the node as <paramref name="id"/>, asking for 127.0.0.1:<paramref name="echoPort"/>.</summary>
    public static async Task<VMessTunnel> OpenAsync(int nodePort, VMessUserId id, int echoPort, CancellationToken ct)
    {
        var account = new ClientAccount(id, 0, SecurityType.Aes128Gcm);
        var session = new ClientSession(account, RequestHeader.CreateRandom(CryptoRandomSource.Instance, RequestCommand.Tcp,
            DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echoPort), account.Security, account.DefaultOptions));
        return new VMessTunnel(await Tcp.ConnectAsync(nodePort, ct), session);
    }

    /// <summary>Sends <paramref name="payload"/> (the request header with the first) and returns as many echoed bytes.</summary>
    public async Task<byte[]> EchoAsync(byte[] payload, CancellationToken ct)
    {
        var buffer = new byte[ClientSession.MaxRequestLength + _encoder.GetMaxEncodedLength(payload.Length)];
        var length = _requestSent ? 0 : _session.EncodeRequest(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), CryptoRandomSource.Instance, buffer);
        _requestSent = true;
        length += _encoder.Encode(payload, buffer.AsSpan(length));
        await Tcp.SendAllAsync(_socket, buffer.AsMemory(0, length), ct);
        var echoed = new MemoryStream();
        while (echoed.Length < payload.Length)
        {
            if (!await DecodeAsync(echoed, ct)) break;
        }
        return echoed.ToArray();
    }

    /// <summary>Reads (discarding) until the node closes the connection; true when it ended with a reset.</summary>
    public async Task<bool> ReadUntilClosedAsync(CancellationToken ct) => (await Tcp.ReadUntilClosedAsync(_socket, ct)).Reset;

    /// <summary>Decodes what arrived into <paramref name="payload"/>, reading once more when nothing could be; false at the end.</summary>
    private async Task<bool> DecodeAsync(MemoryStream payload, CancellationToken ct)
    {
        if (_decoder is null)
        {
            var status = _session.DecodeResponse(_input.AsSpan(0, _count), out _, out var consumed, out _);
            if (status == OperationStatus.InvalidData) throw new InvalidDataException("the node's response header did not decode");
            if (status == OperationStatus.Done)
            {
                _decoder = SessionBodies.CreateResponseDecoder(_session, _input.AsSpan(0, consumed));
                Shift(consumed);
                return true;
            }
        }
        else if (_count > 0)
        {
            var status = _decoder.Decode(_input.AsSpan(0, _count), _output, out var consumed, out var written, out var end, out _);
            if (status == OperationStatus.InvalidData) throw new InvalidDataException("the node's response body did not decode");
            payload.Write(_output, 0, written);
            Shift(consumed);
            if (end) return false;
            if (consumed > 0) return true;
        }
        var read = await _socket.ReceiveAsync(_input.AsMemory(_count), SocketFlags.None, ct);
        _count += read;
        return read > 0;
    }

    private void Shift(int consumed)
    {
        Buffer.BlockCopy(_input, consumed, _input, 0, _count - consumed);
        _count -= consumed;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _encoder.Dispose();
        _decoder?.Dispose();
    }
}
