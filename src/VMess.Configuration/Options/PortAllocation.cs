namespace VMess.Configuration.Options;

/// <summary>
/// An inbound's <c>allocate</c> (V2Ray's dynamic ports). <see cref="Strategy"/> "always" keeps every port of the
/// range open; "random" keeps <see cref="Concurrency"/> random ports of it open and picks new ones every
/// <see cref="Refresh"/>. Connections accepted on a port that rotates out keep running. For "random" the loader
/// gives V2Ray's defaults (5 minutes, 3 ports) and guarantees a range, <see cref="Refresh"/> of at least 2 minutes and
/// 1 ≤ <see cref="Concurrency"/> &lt; the range's size; for "always" both are zero.
/// </summary>
public sealed record PortAllocation(PortAllocationStrategy Strategy, TimeSpan Refresh, int Concurrency)
{
    /// <summary>No <c>allocate</c>: every port of the range is open, always.</summary>
    public static PortAllocation Always { get; } = new(PortAllocationStrategy.Always, TimeSpan.Zero, 0);
}

public enum PortAllocationStrategy
{
    Always,
    Random,
}
