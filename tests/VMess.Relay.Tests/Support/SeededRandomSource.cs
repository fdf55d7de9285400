using VMess.Protocol;

namespace VMess.Relay.Tests.Support;

/// <summary>An <see cref="IRandomSource"/> over a seeded <see cref="Random"/>, so port picks and ids repeat per seed.</summary>
internal sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
