using VMess.Protocol.Headers;

namespace VMess.Protocol.Body;

/// <summary>
/// What the request header says about the body: its security, its option bits and whether the command moves a
/// stream (TCP, Mux) or packets (UDP: one datagram per chunk). Both directions share one framing.
/// </summary>
public readonly record struct BodyFraming(SecurityType Security, RequestOptions Options, RequestCommand Command)
{
    /// <summary>UDP is packet transfer; TCP and Mux.Cool are streams (V2Ray's <c>Command.TransferType()</c>).</summary>
    public bool IsPacket => Command == RequestCommand.Udp;

    /// <summary>
    /// Checks the combination the way a server must before building codecs. Global padding without masking is
    /// <see cref="DecodeError.InvalidOptions"/> (V2Ray 4.34 panics on it). Option A on a security other than
    /// AES-128-GCM or ChaCha20-Poly1305 is ignored, as in v5.
    /// </summary>
    public DecodeError Validate() => TryGetFormat(out _);

    internal DecodeError TryGetFormat(out ChunkFormat format)
    {
        format = default;
        if (Security is not (SecurityType.Legacy or SecurityType.Aes128Gcm or SecurityType.ChaCha20Poly1305 or SecurityType.None))
        {
            return DecodeError.UnknownSecurity;
        }
        if (Command is not (RequestCommand.Tcp or RequestCommand.Udp or RequestCommand.Mux))
        {
            return DecodeError.UnknownCommand;
        }
        var masking = Options.HasFlag(RequestOptions.ChunkMasking);
        var padding = Options.HasFlag(RequestOptions.GlobalPadding);
        if (padding && !masking)
        {
            return DecodeError.InvalidOptions;
        }

        var chunkStream = Options.HasFlag(RequestOptions.ChunkStream);
        var aead = Security is SecurityType.Aes128Gcm or SecurityType.ChaCha20Poly1305;
        // AEAD securities always chunk, whatever S says; None and Legacy only with S.
        var kind = aead || (chunkStream && (Security == SecurityType.Legacy || IsPacket))
            ? ChunkKind.Authenticated
            : chunkStream ? ChunkKind.PlainLength : ChunkKind.Raw;
        var authenticatedLength = aead && Options.HasFlag(RequestOptions.AuthenticatedLength);
        var overhead = Security switch
        {
            SecurityType.Aes128Gcm or SecurityType.ChaCha20Poly1305 => ChunkFormat.TagSize,
            SecurityType.Legacy => ChunkFormat.FnvSize,
            _ => 0,
        };

        format = new ChunkFormat(
            kind,
            Security,
            kind == ChunkKind.Authenticated ? overhead : 0,
            kind == ChunkKind.Raw ? 0 : authenticatedLength ? ChunkFormat.SealedLengthSize : ChunkFormat.PlainLengthSize,
            Masked: kind != ChunkKind.Raw && masking && !authenticatedLength,
            // ChunkStreamReader/Writer (None + S on a stream) never pad, even with P.
            Padded: kind == ChunkKind.Authenticated && padding,
            AuthenticatedLength: authenticatedLength,
            IsPacket);
        return DecodeError.None;
    }
}
