using System.Security.Cryptography;

namespace VMess.Protocol;

/// <summary>Randomness, injected so the codec has no ambient RNG and tests can be deterministic.</summary>
public interface IRandomSource
{
    void Fill(Span<byte> destination);

    /// <summary>A uniform integer in [0, maxExclusive).</summary>
    int Next(int maxExclusive);
}

/// <summary>The production source: the OS CSPRNG (V2Ray 4.34 used math/rand for padding, which is identifiable).</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public static CryptoRandomSource Instance { get; } = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

    public int Next(int maxExclusive) => RandomNumberGenerator.GetInt32(maxExclusive);
}
