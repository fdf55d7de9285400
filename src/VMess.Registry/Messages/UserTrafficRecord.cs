namespace VMess.Registry.Messages;

/// <summary>
/// A user's cluster-wide traffic as the DData read model holds it (buckets <c>traffic-N</c>): the counters' name part
/// (<see cref="Email"/>, as the user's record spells it) and totals. <see cref="Version"/> is the entity's journal
/// sequence number at the change, the LWW clock, as for <see cref="UserRecord"/>.
/// </summary>
public sealed record UserTrafficRecord(string Email, long Uplink, long Downlink, long Version) : IUserRegistryMessage;
