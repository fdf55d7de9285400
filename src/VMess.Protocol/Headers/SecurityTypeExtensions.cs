namespace VMess.Protocol.Headers;

public static class SecurityTypeExtensions
{
    /// <summary>
    /// Parses a config string exactly; unlike V2Ray, an unknown name is an error, not a silent "auto".
    /// </summary>
    public static bool TryParseConfigName(string? name, out SecurityType security)
    {
        security = name?.ToLowerInvariant() switch
        {
            null or "" or "auto" => SecurityType.Auto,
            "aes-128-gcm" => SecurityType.Aes128Gcm,
            "chacha20-poly1305" => SecurityType.ChaCha20Poly1305,
            "none" => SecurityType.None,
            "aes-128-cfb" => SecurityType.Legacy,
            _ => SecurityType.Unknown,
        };
        return security != SecurityType.Unknown;
    }

    public static string ToConfigName(this SecurityType security) => security switch
    {
        SecurityType.Aes128Gcm => "aes-128-gcm",
        SecurityType.ChaCha20Poly1305 => "chacha20-poly1305",
        SecurityType.None => "none",
        SecurityType.Legacy => "aes-128-cfb",
        SecurityType.Auto => "auto",
        _ => "unknown",
    };

    /// <summary>
    /// "auto" as V2Ray resolves it on the client: AES-128-GCM where the CPU has AES instructions in V2Ray's
    /// list (amd64, arm64, s390x), ChaCha20-Poly1305 elsewhere.
    /// </summary>
    public static SecurityType Resolve(this SecurityType security) => security != SecurityType.Auto
        ? security
        : System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is
            System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64 or
            System.Runtime.InteropServices.Architecture.S390x
            ? SecurityType.Aes128Gcm
            : SecurityType.ChaCha20Poly1305;

    /// <summary>Securities that <c>disableInsecureEncryption</c> refuses.</summary>
    public static bool IsInsecure(this SecurityType security) => security is SecurityType.None or SecurityType.Legacy;
}
