namespace VMess.Registry.Replay;

/// <summary>How a node shares the AEAD auth ids it accepts with the other nodes (<see cref="AuthIdExchange"/>).</summary>
public sealed record AuthIdExchangeSettings
{
    public const int EntriesPerMessageLimit = 4096;
    public static readonly TimeSpan MaxBatchWindow = TimeSpan.FromSeconds(1);

    public static AuthIdExchangeSettings Default { get; } = new();

    /// <summary>
    /// The shortest time between two batches a node sends: an id accepted within this time of the last batch waits
    /// for the next (at most this long, plus the scheduler's 10 ms tick), together with the others accepted meanwhile.
    /// So it bounds the messages per second (100 per peer at 10 ms) and, on a busy node, most of the interval in which
    /// a replay to another node can still succeed. Zero sends whatever is queued whenever the exchange is woken.
    /// </summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Ids per message (24 bytes each: 4096 make 98 kB, under Akka.Remote's default 128 kB frame); more go in several.</summary>
    public int MaxIdsPerMessage { get; init; } = EntriesPerMessageLimit;

    /// <summary>
    /// Ids waiting to be sent at most (24 bytes each, plus the queue's overhead). Past it an accepted id is not shared
    /// (the exchange fell far behind) and a warning counts what was dropped.
    /// </summary>
    public int MaxPendingIds { get; init; } = 1_000_000;

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BatchWindow < TimeSpan.Zero || BatchWindow > MaxBatchWindow)
            errors.Add($"BatchWindow must be within 0..{MaxBatchWindow}, was {BatchWindow}.");
        if (MaxIdsPerMessage is < 1 or > EntriesPerMessageLimit)
            errors.Add($"MaxIdsPerMessage must be within 1..{EntriesPerMessageLimit}, was {MaxIdsPerMessage}.");
        if (MaxPendingIds < 1) errors.Add($"MaxPendingIds must be positive, was {MaxPendingIds}.");
        return errors;
    }

    internal AuthIdExchangeSettings EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("Invalid auth id exchange settings: " + string.Join(" ", errors));
    }
}
