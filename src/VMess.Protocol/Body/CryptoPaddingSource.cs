using System.Security.Cryptography;

namespace VMess.Protocol.Body;

/// <summary>
/// Padding from the OS CSPRNG. V2Ray 4.34 used math/rand here, which v2fly#2054 showed to be identifiable; v5 and
/// Xray switched to crypto/rand.
/// </summary>
public sealed class CryptoPaddingSource : IPaddingSource
{
    public static CryptoPaddingSource Instance { get; } = new();

    private CryptoPaddingSource()
    {
    }

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
