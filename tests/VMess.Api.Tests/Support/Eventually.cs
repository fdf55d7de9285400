namespace VMess.Api.Tests.Support;

/// <summary>Waits for a condition that something else makes true (the registry's projector, a log line), bounded.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(Poll, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {timeout}: {what}");
            }
        }
    }

    /// <summary>As above, for a condition that asks something (the API) to decide.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(Poll, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {timeout}: {what}");
            }
        }
    }
}
