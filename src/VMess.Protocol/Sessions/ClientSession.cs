using System.Buffers;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;
using VMess.Protocol.Legacy;

namespace VMess.Protocol.Sessions;

/// <summary>One client connection's handshake: writes the request, reads the response header.</summary>
public sealed class ClientSession
{
    /// <summary>V2Ray's client moves its legacy timestamp by a random −30..+29 s, so hashes are not sequential.</summary>
    public const int LegacyTimestampJitter = 30;

    private readonly ClientAccount _account;

    public ClientSession(ClientAccount account, RequestHeader header)
    {
        _account = account;
        Header = header;
        ResponseKey = ResponseKeys.Derive(header.BodyKey, account.UsesAeadHeader);
        ResponseIv = ResponseKeys.Derive(header.BodyIv, account.UsesAeadHeader);
    }

    public RequestHeader Header { get; }
    public bool IsAead => _account.UsesAeadHeader;
    public byte[] ResponseKey { get; }
    public byte[] ResponseIv { get; }

    public static int MaxRequestLength => AeadHeaderCipher.GetSealedSize(RequestHeaderCodec.MaxEncodedLength);

    /// <summary>Writes the whole request (auth and header) and returns its length.</summary>
    public int EncodeRequest(long now, IRandomSource random, Span<byte> destination)
    {
        Span<byte> padding = stackalloc byte[random.Next(RequestHeaderCodec.MaxPadding + 1)];
        random.Fill(padding);
        Span<byte> plain = stackalloc byte[RequestHeaderCodec.MaxEncodedLength];
        var length = RequestHeaderCodec.Encode(Header, padding, plain);
        plain = plain[..length];
        if (IsAead)
        {
            Span<byte> authId = stackalloc byte[AuthId.Size];
            Span<byte> randomBytes = stackalloc byte[4 + AeadHeaderCipher.ConnectionNonceSize];
            random.Fill(randomBytes);
            AuthId.Create(_account.AuthIdCipher, now, randomBytes[..4], authId);
            return AeadHeaderCipher.Seal(_account.CmdKey, authId, randomBytes[4..], plain, destination);
        }

        var timestamp = now + random.Next(LegacyTimestampJitter * 2) - LegacyTimestampJitter;
        var authAs = _account.AlterIds.Count == 0 ? _account.Id : _account.AlterIds[random.Next(_account.AlterIds.Count)];
        LegacyAuth.ComputeHash(authAs, timestamp, destination);
        Span<byte> iv = stackalloc byte[16];
        LegacyAuth.HeaderIv(timestamp, iv);
        Cfb128.Encrypt(_account.CmdKey, iv, plain, destination[LegacyAuth.Size..]);
        return LegacyAuth.Size + length;
    }

    /// <summary>
    /// Reads the response header. With a legacy header, the response is AES-128-CFB under the response key and IV;
    /// for a legacy (CFB) body that stream continues into the body, which the body decoder accounts for.
    /// </summary>
    public OperationStatus DecodeResponse(ReadOnlySpan<byte> source, out ResponseHeader? header, out int bytesConsumed, out DecodeError error)
    {
        OperationStatus status;
        if (IsAead)
        {
            status = ResponseHeaderCipher.OpenAead(source, ResponseKey, ResponseIv, out header, out bytesConsumed, out error);
        }
        else
        {
            var encrypted = source.Length > ResponseHeaderCodec.MaxEncodedLength ? source[..ResponseHeaderCodec.MaxEncodedLength] : source;
            Span<byte> plain = stackalloc byte[encrypted.Length];
            Cfb128.Decrypt(ResponseKey, ResponseIv, encrypted, plain);
            status = ResponseHeaderCodec.Decode(plain, out header, out bytesConsumed, out _);
            error = DecodeError.None;
        }
        if (status == OperationStatus.Done && header!.ResponseAuth != Header.ResponseAuth)
        {
            header = null;
            bytesConsumed = 0;
            error = DecodeError.ResponseMismatch;
            return OperationStatus.InvalidData;
        }
        return status;
    }
}
