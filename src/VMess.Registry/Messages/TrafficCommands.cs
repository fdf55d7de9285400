namespace VMess.Registry.Messages;

/// <summary>Changes or reads a user's traffic counters; each has its own reply (not <see cref="UserCommandResult"/>).</summary>
public interface IUserTrafficCommand : IUserRegistryMessage, IWithUserKey;

/// <summary>
/// One node's report of a user's new bytes: answered with <see cref="AddTrafficResult"/> once persisted. A report is
/// sent again, unchanged, until it is answered; the entity applies each (<paramref name="Reporter"/>,
/// <paramref name="Sequence"/>) once, so a report whose answer was lost is not counted twice.
/// </summary>
/// <param name="Reporter">The reporting node's incarnation (random per start of its reporter).</param>
/// <param name="Sequence">The reporter's own count of reports, rising with each new one.</param>
public sealed record AddTraffic(string UserKey, long Reporter, long Sequence, long Uplink, long Downlink) : IUserTrafficCommand;

/// <summary>The report (<see cref="AddTraffic.Sequence"/>) is in the journal, now or before.</summary>
public sealed record AddTrafficResult(string UserKey, long Sequence) : IUserRegistryMessage;

/// <summary>Zeroes the chosen counters (persisted); answered with <see cref="ResetTrafficResult"/>.</summary>
public sealed record ResetTraffic(string UserKey, bool Uplink, bool Downlink) : IUserTrafficCommand;

/// <summary>Both counters as they were before the reset (V2Ray's reset returns the value it cleared).</summary>
public sealed record ResetTrafficResult(string UserKey, long Uplink, long Downlink) : IUserRegistryMessage;

/// <summary>Reads the entity's counters (the authority; the DData read model may be a report behind).</summary>
public sealed record GetTraffic(string UserKey) : IUserTrafficCommand;

/// <summary><see cref="HasCounters"/> is false until the user's first report (V2Ray registers a counter on first use).</summary>
public sealed record GetTrafficResult(string UserKey, long Uplink, long Downlink, bool HasCounters) : IUserRegistryMessage;
