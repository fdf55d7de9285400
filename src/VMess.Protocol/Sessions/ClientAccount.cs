using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Sessions;

/// <summary>
/// A user as a client holds it, with keys derived once. V2Ray 4.34 sends AEAD headers when alterId is 0 and
/// legacy ones (auth hash of a random alter id) otherwise.
/// </summary>
public sealed class ClientAccount
{
    public ClientAccount(VMessUserId id, ushort alterId, SecurityType security)
    {
        Id = id;
        AlterId = alterId;
        Security = security.Resolve();
        CmdKey = id.CmdKey();
        AuthIdCipher = new AuthIdCipher(CmdKey);
        AlterIds = AlterIdChain.Derive(id, alterId);
    }

    public VMessUserId Id { get; }
    public ushort AlterId { get; }
    /// <summary>The body security, with "auto" already resolved.</summary>
    public SecurityType Security { get; }
    public byte[] CmdKey { get; }
    public AuthIdCipher AuthIdCipher { get; }
    public IReadOnlyList<VMessUserId> AlterIds { get; }
    public bool UsesAeadHeader => AlterId == 0;

    /// <summary>The option bits V2Ray 4.34's client sets for this security: S always; M for GCM, ChaCha and none; P with M for GCM and ChaCha.</summary>
    public RequestOptions DefaultOptions => Security switch
    {
        SecurityType.Aes128Gcm or SecurityType.ChaCha20Poly1305 => RequestOptions.ChunkStream | RequestOptions.ChunkMasking | RequestOptions.GlobalPadding,
        SecurityType.None => RequestOptions.ChunkStream | RequestOptions.ChunkMasking,
        _ => RequestOptions.ChunkStream,
    };
}
