using VMess.Registry.Traffic;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// What a node's ledger counted per user so far, as its reporter would have taken it: every read collects the live
/// connections and takes the pending bytes into running totals (so reading one user never loses another's).
/// </summary>
internal sealed class UserTrafficTotals(TrafficLedger ledger)
{
    private readonly Dictionary<string, TrafficTotals> _totals = new(StringComparer.Ordinal);
    private readonly List<UserTrafficDelta> _taken = [];

    public TrafficTotals Of(string email)
    {
        lock (_totals)
        {
            ledger.Collect();
            _taken.Clear();
            ledger.TakePending(_taken);
            foreach (var delta in _taken) _totals[delta.Email] = _totals.GetValueOrDefault(delta.Email) + delta.Bytes;
            return _totals.GetValueOrDefault(email);
        }
    }

    /// <summary>Waits until <paramref name="email"/>'s totals are <paramref name="expected"/>; returns them as they are when it stops waiting.</summary>
    public async Task<TrafficTotals> WaitForAsync(string email, TrafficTotals expected, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        while (Of(email) != expected && !timeout.IsCancellationRequested) await Task.Delay(20, CancellationToken.None);
        return Of(email);
    }
}
