using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using VMess.Protocol.Addresses;

namespace VMess.ProxyProtocols.Socks;

/// <summary>
/// The server side of one SOCKS4, SOCKS4a or SOCKS5 handshake, one step per <see cref="Decode"/>: SOCKS5 takes the
/// method selection, then (with a password) RFC 1929's sub-negotiation, then the request; SOCKS4 is one step. Each
/// step yields the bytes to write back. As V2Ray does, the success reply is sent before the destination is dialled.
/// One instance per connection.
/// </summary>
public sealed class SocksServerHandshake(SocksServerOptions options)
{
    /// <summary>The largest reply of any step: a SOCKS5 reply with an IPv6 address.</summary>
    public const int MaxReplyLength = 3 + 1 + 16 + 2;

    /// <summary>V2Ray reads a SOCKS4 user id into one 2 KiB buffer, NUL included.</summary>
    public const int MaxSocks4UserIdLength = 2047;

    private const byte Socks4Version = 0x04;
    private const byte Socks5Version = 0x05;
    private const byte PasswordVersion = 0x01;
    private const byte CommandConnect = 0x01;
    private const byte CommandBind = 0x02;
    private const byte CommandUdpAssociate = 0x03;
    private const byte CommandTorResolve = 0xF0;
    private const byte CommandTorResolvePtr = 0xF1;
    private const byte MethodNone = 0x00;
    private const byte MethodPassword = 0x02;
    private const byte NoAcceptableMethod = 0xFF;
    private const byte Socks4Granted = 90;
    private const byte Socks4Rejected = 91;
    private const byte Socks5Succeeded = 0x00;
    private const byte Socks5CommandNotSupported = 0x07;

    private enum Step { Greeting, Password, Request, Done, Failed }

    private Step _step = Step.Greeting;
    private string? _user;

    /// <summary>The accepted request, once the last step is done.</summary>
    public ProxyRequest? Request { get; private set; }

    /// <summary>4 or 5 once the first byte is known, else 0.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// Decodes the next step from the start of <paramref name="source"/>.
    /// <list type="bullet">
    /// <item><see cref="OperationStatus.Done"/>: the step took <paramref name="bytesConsumed"/> bytes; write
    /// <c>reply[..replyLength]</c> back. <see cref="Request"/> is set after the last step; until then call again with the rest.</item>
    /// <item><see cref="OperationStatus.NeedMoreData"/>: the step is incomplete; nothing consumed, nothing to write.</item>
    /// <item><see cref="OperationStatus.InvalidData"/>: refused for <paramref name="error"/>; write <c>reply[..replyLength]</c>
    /// (V2Ray's failure reply, possibly none) and close.</item>
    /// </list>
    /// </summary>
    /// <param name="reply">At least <see cref="MaxReplyLength"/> bytes.</param>
    public OperationStatus Decode(ReadOnlySpan<byte> source, Span<byte> reply, out int bytesConsumed, out int replyLength, out SocksError error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reply.Length, MaxReplyLength, nameof(reply));
        bytesConsumed = 0;
        replyLength = 0;
        error = SocksError.None;
        var status = _step switch
        {
            Step.Greeting => DecodeGreeting(source, reply, ref bytesConsumed, ref replyLength, ref error),
            Step.Password => DecodePassword(source, reply, ref bytesConsumed, ref replyLength, ref error),
            Step.Request => DecodeRequest(source, reply, ref bytesConsumed, ref replyLength, ref error),
            _ => throw new InvalidOperationException($"The handshake is already {(_step == Step.Done ? "complete" : "refused")}."),
        };
        if (status == OperationStatus.InvalidData) _step = Step.Failed;
        return status;
    }

    private OperationStatus DecodeGreeting(ReadOnlySpan<byte> source, Span<byte> reply, ref int consumed, ref int written, ref SocksError error)
    {
        if (source.IsEmpty) return OperationStatus.NeedMoreData;
        switch (source[0])
        {
            case Socks5Version:
                Version = 5;
                return DecodeMethodSelection(source, reply, ref consumed, ref written, ref error);
            case Socks4Version:
                Version = 4;
                return DecodeSocks4(source, reply, ref consumed, ref written, ref error);
            default:
                error = SocksError.UnsupportedVersion;
                return OperationStatus.InvalidData;
        }
    }

    // VER | NMETHODS | METHODS. Only the configured method is acceptable, as in V2Ray.
    private OperationStatus DecodeMethodSelection(ReadOnlySpan<byte> source, Span<byte> reply, ref int consumed, ref int written, ref SocksError error)
    {
        if (source.Length < 2 || source.Length < 2 + source[1]) return OperationStatus.NeedMoreData;
        var methods = source.Slice(2, source[1]);
        var expected = options.Auth == SocksAuthMode.Password ? MethodPassword : MethodNone;
        reply[0] = Socks5Version;
        written = 2;
        if (!methods.Contains(expected))
        {
            reply[1] = NoAcceptableMethod;
            error = SocksError.NoAcceptableAuthMethod;
            return OperationStatus.InvalidData;
        }
        reply[1] = expected;
        consumed = 2 + methods.Length;
        _step = expected == MethodPassword ? Step.Password : Step.Request;
        return OperationStatus.Done;
    }

    // RFC 1929: VER | ULEN | UNAME | PLEN | PASSWD. V2Ray does not check VER; neither do we.
    private OperationStatus DecodePassword(ReadOnlySpan<byte> source, Span<byte> reply, ref int consumed, ref int written, ref SocksError error)
    {
        if (source.Length < 2) return OperationStatus.NeedMoreData;
        var userLength = source[1];
        if (source.Length < 3 + userLength) return OperationStatus.NeedMoreData;
        var passwordLength = source[2 + userLength];
        var length = 3 + userLength + passwordLength;
        if (source.Length < length) return OperationStatus.NeedMoreData;
        var user = Encoding.UTF8.GetString(source.Slice(2, userLength));
        reply[0] = PasswordVersion;
        written = 2;
        if (!options.Accounts.Accepts(user, source.Slice(3 + userLength, passwordLength)))
        {
            reply[1] = 0xFF;
            error = SocksError.BadCredentials;
            return OperationStatus.InvalidData;
        }
        reply[1] = 0x00;
        consumed = length;
        _user = user;
        _step = Step.Request;
        return OperationStatus.Done;
    }

    // VER | CMD | RSV | address. Like V2Ray: VER and RSV are not checked, and an unsupported command is refused as
    // soon as it is read, before the address.
    private OperationStatus DecodeRequest(ReadOnlySpan<byte> source, Span<byte> reply, ref int consumed, ref int written, ref SocksError error)
    {
        if (source.Length < 3) return OperationStatus.NeedMoreData;
        ProxyCommand command;
        switch (source[1])
        {
            // V2Ray has no answer for Tor's RESOLVE commands and treats them as CONNECT.
            case CommandConnect or CommandTorResolve or CommandTorResolvePtr:
                command = ProxyCommand.Connect;
                break;
            case CommandUdpAssociate when options.UdpEnabled:
                command = ProxyCommand.UdpAssociate;
                break;
            default:
                written = WriteSocks5Reply(reply, Socks5CommandNotSupported, new IPEndPoint(IPAddress.Any, 0));
                error = source[1] == CommandUdpAssociate ? SocksError.UdpNotEnabled : SocksError.UnsupportedCommand;
                return OperationStatus.InvalidData;
        }
        var status = SocksAddressCodec.Decode(source[3..], out var destination, out var addressLength);
        if (status == OperationStatus.NeedMoreData) return status;
        if (status != OperationStatus.Done)
        {
            error = SocksError.InvalidAddress;
            return OperationStatus.InvalidData;
        }
        var bound = command == ProxyCommand.UdpAssociate ? options.UdpRelayEndpoint ?? options.BoundEndpoint : options.BoundEndpoint;
        written = WriteSocks5Reply(reply, Socks5Succeeded, bound);
        consumed = 3 + addressLength;
        Complete(new ProxyRequest(destination!, command, _user));
        return OperationStatus.Done;
    }

    // VN | CD | DSTPORT | DSTIP | USERID NUL [| DOMAIN NUL when DSTIP is 0.x.x.x (SOCKS4a, V2Ray checks the first byte only)].
    private OperationStatus DecodeSocks4(ReadOnlySpan<byte> source, Span<byte> reply, ref int consumed, ref int written, ref SocksError error)
    {
        if (source.Length < 2) return OperationStatus.NeedMoreData;
        if (options.Auth == SocksAuthMode.Password)
        {
            // V2Ray refuses right after the version and command bytes.
            written = WriteSocks4Reply(reply, Socks4Rejected);
            error = SocksError.Socks4RequiresNoAuth;
            return OperationStatus.InvalidData;
        }
        const int fixedLength = 8;
        if (source.Length < fixedLength) return OperationStatus.NeedMoreData;
        var userIdLength = FindNul(source[fixedLength..], MaxSocks4UserIdLength);
        if (userIdLength == NulTooFar)
        {
            error = SocksError.FieldTooLong;
            return OperationStatus.InvalidData;
        }
        if (userIdLength == NulMissing) return OperationStatus.NeedMoreData;
        var port = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        var ip = source.Slice(4, 4);
        var length = fixedLength + userIdLength + 1;
        DestinationAddress? destination;
        if (ip[0] == 0)
        {
            var domainLength = FindNul(source[length..], HostNames.MaxDomainLength);
            if (domainLength == NulTooFar)
            {
                error = SocksError.FieldTooLong;
                return OperationStatus.InvalidData;
            }
            if (domainLength == NulMissing) return OperationStatus.NeedMoreData;
            destination = HostNames.Parse(source.Slice(length, domainLength), port);
            length += domainLength + 1;
            if (destination is null)
            {
                error = SocksError.InvalidAddress;
                return OperationStatus.InvalidData;
            }
        }
        else
        {
            destination = DestinationAddress.FromIp(new IPAddress(ip), port);
        }
        if (source[1] != CommandConnect)
        {
            written = WriteSocks4Reply(reply, Socks4Rejected);
            error = SocksError.UnsupportedCommand;
            return OperationStatus.InvalidData;
        }
        written = WriteSocks4Reply(reply, Socks4Granted);
        consumed = length;
        Complete(new ProxyRequest(destination, ProxyCommand.Connect, null));
        return OperationStatus.Done;
    }

    private void Complete(ProxyRequest request)
    {
        Request = request;
        _step = Step.Done;
    }

    private const int NulMissing = -1;
    private const int NulTooFar = -2;

    // The length before the first NUL, NulMissing when none yet, NulTooFar when more than maxLength bytes precede it.
    private static int FindNul(ReadOnlySpan<byte> source, int maxLength)
    {
        var index = source[..Math.Min(source.Length, maxLength + 1)].IndexOf((byte)0);
        if (index >= 0) return index;
        return source.Length > maxLength ? NulTooFar : NulMissing;
    }

    // VER | REP | RSV | BND.ADDR | BND.PORT
    private static int WriteSocks5Reply(Span<byte> reply, byte code, IPEndPoint bound)
    {
        reply[0] = Socks5Version;
        reply[1] = code;
        reply[2] = 0x00;
        return 3 + SocksAddressCodec.Encode(bound, reply[3..]);
    }

    // VN (0) | CD | DSTPORT | DSTIP: V2Ray always answers port 0 and 0.0.0.0.
    private static int WriteSocks4Reply(Span<byte> reply, byte code)
    {
        reply[0] = 0x00;
        reply[1] = code;
        reply[2..8].Clear();
        return 8;
    }
}
