using VMess.Protocol.Crypto;

namespace VMess.Protocol.Auth;

/// <summary>A user's derived key material, computed once when the user is added, never per handshake.</summary>
public sealed class UserKeys
{
    public UserKeys(VMessAccount account)
    {
        Account = account;
        CmdKey = account.Id.CmdKey();
        AuthIdCipher = new AuthIdCipher(CmdKey);
    }

    public VMessAccount Account { get; }
    public byte[] CmdKey { get; }
    public AuthIdCipher AuthIdCipher { get; }
}
