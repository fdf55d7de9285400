using VMess.Protocol.Body;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Sessions;

/// <summary>
/// Builds the body codecs of both directions from a handshake, on either side. Requests use the request key/IV;
/// responses the derived response key/IV (option A keeps the request's for its length AEAD).
/// </summary>
public static class SessionBodies
{
    public static ChunkDecoder CreateRequestDecoder(ServerHandshake handshake, int maxChunkLength = ChunkCodecFactory.MaxChunkSize)
    {
        var request = RequestKeys(handshake.Header);
        return ChunkCodecFactory.CreateDecoder(Framing(handshake.Header), request, request, maxChunkLength);
    }

    public static ChunkEncoder CreateResponseEncoder(ServerHandshake handshake, IRandomSource random, int maxChunkSize = ChunkCodecFactory.DefaultMaxChunkSize) =>
        ChunkCodecFactory.CreateEncoder(Framing(handshake.Header), new BodyKeys(handshake.ResponseKey, handshake.ResponseIv),
            RequestKeys(handshake.Header), random, maxChunkSize);

    public static ChunkEncoder CreateRequestEncoder(ClientSession session, IRandomSource random, int maxChunkSize = ChunkCodecFactory.DefaultMaxChunkSize)
    {
        var request = RequestKeys(session.Header);
        return ChunkCodecFactory.CreateEncoder(Framing(session.Header), request, request, random, maxChunkSize);
    }

    /// <summary>
    /// The response body decoder, created once the response header is read. With a legacy header and a legacy
    /// (CFB) body the header was the start of the body's CFB stream, so its bytes are run through the decoder first.
    /// </summary>
    public static ChunkDecoder CreateResponseDecoder(ClientSession session, ReadOnlySpan<byte> responseHeaderBytes,
        int maxChunkLength = ChunkCodecFactory.MaxChunkSize)
    {
        var decoder = ChunkCodecFactory.CreateDecoder(Framing(session.Header), new BodyKeys(session.ResponseKey, session.ResponseIv),
            RequestKeys(session.Header), maxChunkLength);
        if (SharesHeaderStream(session.IsAead, session.Header.Security))
        {
            Span<byte> discard = stackalloc byte[responseHeaderBytes.Length];
            decoder.DecodeUnframed(responseHeaderBytes, discard);
        }
        return decoder;
    }

    /// <summary>Whether the legacy response header and body share one AES-CFB stream (legacy auth with a legacy body).</summary>
    public static bool SharesHeaderStream(bool isAead, SecurityType security) => !isAead && security == SecurityType.Legacy;

    private static BodyFraming Framing(RequestHeader header) => new(header.Security, header.Options, header.Command);

    private static BodyKeys RequestKeys(RequestHeader header) => new(header.BodyKey, header.BodyIv);
}
