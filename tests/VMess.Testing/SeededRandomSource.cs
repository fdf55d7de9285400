using VMess.Protocol;

namespace VMess.Testing;

/// <summary>An <see cref="IRandomSource"/> over a seeded <see cref="Random"/>, so padding, keys, ids and port picks repeat per seed.</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
