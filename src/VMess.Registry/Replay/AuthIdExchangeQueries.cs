namespace VMess.Registry.Replay;

/// <summary>Asks an <see cref="AuthIdExchange"/> for its counters; answered with <see cref="GetAuthIdExchangeStatsResult"/>.</summary>
public sealed record GetAuthIdExchangeStats
{
    public static GetAuthIdExchangeStats Instance { get; } = new();
}

/// <summary>
/// An exchange's counters since it started: batches made and the ids in them (each batch goes to every peer), messages
/// and ids received from other nodes, ids dropped because too many were waiting, and the nodes it shares with now.
/// </summary>
public sealed record GetAuthIdExchangeStatsResult(long BatchesSent, long IdsSent, long MessagesReceived, long IdsReceived, long IdsDropped, int Peers);
