namespace VMess.Registry.Tests.Support;

/// <summary>Waits for a condition on state that other threads change (no probe to await), bounded.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task TrueAsync(Func<bool> condition, TimeSpan bound, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not true within {bound}: {describe()}");
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>As above, for a condition that has to ask (a database, an actor).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan bound, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not true within {bound}: {await describe()}");
            await Task.Delay(PollInterval);
        }
    }
}
