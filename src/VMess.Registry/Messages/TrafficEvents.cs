namespace VMess.Registry.Messages;

/// <summary>A node's report was applied: the counters grew by <see cref="Uplink"/> and <see cref="Downlink"/>.</summary>
public sealed record TrafficAdded(string UserKey, long Reporter, long Sequence, long Uplink, long Downlink) : IUserRegistryEvent;

/// <summary>The chosen counters were zeroed.</summary>
public sealed record TrafficReset(string UserKey, bool Uplink, bool Downlink) : IUserRegistryEvent;
