using Grpc.Core;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// Reads a user's counters at one node's API every 50 ms or so until stopped, and
/// keeps the lowest and highest values seen each way: whether they ever dropped below, or rose above, a bound.
/// </summary>
internal sealed class CounterWatch
{
    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private (long Up, long Down) _lowest = (long.MaxValue, long.MaxValue);
    private (long Up, long Down) _highest = (long.MinValue, long.MinValue);
    private int _reads;
    private int _failures;

    private CounterWatch(int apiPort, string email) => _watching = WatchAsync(apiPort, email);

    public static CounterWatch Start(int apiPort, string email) => new(apiPort, email);

    /// <summary>Stops reading; what was seen. Fails if no read succeeded.</summary>
    public async Task<CounterRange> StopAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
        Assert.True(_reads > 0, $"no read of the counters succeeded ({_failures} failed)");
        return new CounterRange(_lowest, _highest, _reads, _failures);
    }

    private async Task WatchAsync(int apiPort, string email)
    {
        await Task.Yield();
        using var channel = StatsApi.Channel(apiPort);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var (up, down) = await StatsApi.UserCountersAsync(channel, email, _stop.Token);
                _lowest = (Math.Min(_lowest.Up, up), Math.Min(_lowest.Down, down));
                _highest = (Math.Max(_highest.Up, up), Math.Max(_highest.Down, down));
                _reads++;
                await Task.Delay(ReadInterval, _stop.Token);
            }
            catch (RpcException) when (!_stop.IsCancellationRequested)
            {
                _failures++;
            }
            catch (Exception e) when (_stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>What a <see cref="CounterWatch"/> saw: the lowest and highest counters each way, over this many reads.</summary>
internal sealed record CounterRange((long Up, long Down) Lowest, (long Up, long Down) Highest, int Reads, int Failures)
{
    public override string ToString() =>
        $"uplink {Lowest.Up}..{Highest.Up}, downlink {Lowest.Down}..{Highest.Down} over {Reads} reads ({Failures} failed)";
}
