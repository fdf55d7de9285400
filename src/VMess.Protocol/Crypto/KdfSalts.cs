namespace VMess.Protocol.Crypto;

/// <summary>The KDF labels, named after V2Ray's <c>KDFSaltConst*</c> so the two codebases can be read side by side.</summary>
public static class KdfSalts
{
    public static ReadOnlySpan<byte> VMessAeadKdf => "VMess AEAD KDF"u8;
    public static ReadOnlySpan<byte> AuthIdEncryptionKey => "AES Auth ID Encryption"u8;
    public static ReadOnlySpan<byte> AeadRespHeaderLenKey => "AEAD Resp Header Len Key"u8;
    public static ReadOnlySpan<byte> AeadRespHeaderLenIv => "AEAD Resp Header Len IV"u8;
    public static ReadOnlySpan<byte> AeadRespHeaderPayloadKey => "AEAD Resp Header Key"u8;
    public static ReadOnlySpan<byte> AeadRespHeaderPayloadIv => "AEAD Resp Header IV"u8;
    public static ReadOnlySpan<byte> VMessHeaderPayloadAeadKey => "VMess Header AEAD Key"u8;
    public static ReadOnlySpan<byte> VMessHeaderPayloadAeadIv => "VMess Header AEAD Nonce"u8;
    public static ReadOnlySpan<byte> VMessHeaderPayloadLengthAeadKey => "VMess Header AEAD Key_Length"u8;
    public static ReadOnlySpan<byte> VMessHeaderPayloadLengthAeadIv => "VMess Header AEAD Nonce_Length"u8;

    /// <summary>Option A (authenticated length, V2Ray 4.41+): the length AEAD key is KDF16(request key, "auth_len").</summary>
    public static ReadOnlySpan<byte> AuthenticatedLength => "auth_len"u8;
}
