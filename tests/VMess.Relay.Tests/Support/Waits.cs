namespace VMess.Relay.Tests.Support;

internal static class Waits
{
    /// <summary>
    /// Polls <paramref name="condition"/> every 20 ms until it holds or <paramref name="ct"/> fires: for state the node
    /// updates on its own threads (counters written by a connection actor after its sockets closed).
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition()) await Task.Delay(20, ct);
    }
}
