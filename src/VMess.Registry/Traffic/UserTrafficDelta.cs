namespace VMess.Registry.Traffic;

/// <summary>A user's bytes taken from a <see cref="TrafficLedger"/>: what its entity is to be told of next.</summary>
public readonly record struct UserTrafficDelta(string Email, TrafficTotals Bytes);
