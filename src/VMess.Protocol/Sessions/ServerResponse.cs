using VMess.Protocol.Body;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Sessions;

/// <summary>Writes the server's response header for an accepted handshake.</summary>
public static class ServerResponse
{
    public static int GetEncodedLength(ServerHandshake handshake, ResponseHeader header) => handshake.IsAead
        ? ResponseHeaderCipher.GetAeadSealedSize(header)
        : ResponseHeaderCodec.GetEncodedLength(header);

    /// <summary>
    /// AEAD requests get the sealed header; legacy ones a CFB-encrypted header whose stream a legacy (CFB) body
    /// continues, so then it is written through <paramref name="responseBody"/>.
    /// </summary>
    public static int Encode(ServerHandshake handshake, ResponseHeader header, ChunkEncoder responseBody, Span<byte> destination)
    {
        if (handshake.IsAead)
        {
            return ResponseHeaderCipher.SealAead(header, handshake.ResponseKey, handshake.ResponseIv, destination);
        }
        Span<byte> plain = stackalloc byte[ResponseHeaderCodec.MaxEncodedLength];
        var length = ResponseHeaderCodec.Encode(header, plain);
        if (SessionBodies.SharesHeaderStream(handshake.IsAead, handshake.Header.Security))
        {
            return responseBody.EncodeUnframed(plain[..length], destination);
        }
        Cfb128.Encrypt(handshake.ResponseKey, handshake.ResponseIv, plain[..length], destination);
        return length;
    }
}
