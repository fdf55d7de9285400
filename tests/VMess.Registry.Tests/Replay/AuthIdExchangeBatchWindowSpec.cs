using System.Diagnostics;
using Akka.TestKit.Xunit2;
using VMess.Registry.Replay;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;
using static VMess.Registry.Tests.Support.ExchangeNodes;

namespace VMess.Registry.Tests.Replay;

/// <summary>
/// The batch window as a throttle, seen with a long one (1 s) across two ActorSystems: an id accepted long after the
/// last batch goes out at once; one accepted right after a batch waits until the window since that batch is over.
/// </summary>
public sealed class AuthIdExchangeBatchWindowSpec : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;
    private ExchangeNodes _nodes = null!;

    public AuthIdExchangeBatchWindowSpec(ITestOutputHelper output) : base(RegistryCluster.Setup(), RegistryCluster.SystemName, output)
    {
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _nodes = await ExchangeNodes.StartAsync(Sys, AuthIdExchangeSettings.Default with { BatchWindow = Window });
        // Node A's first batch (at its start) lies a whole window back.
        await Task.Delay(Window);
    }

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task An_id_after_a_quiet_window_should_go_at_once_and_the_next_one_wait_for_the_window()
    {
        var first = AuthIdExchangeSpec.AuthId(1);
        var second = AuthIdExchangeSpec.AuthId(2);
        var watch = Stopwatch.StartNew();

        _nodes.GuardA.AuthIds.TryAccept(first, UnixNow, UnixNow);
        await AwaitConditionAsync(() => Task.FromResult(_nodes.GuardB.AuthIds.Contains(first, UnixNow)), Bound, TimeSpan.FromMilliseconds(1));
        var firstAt = watch.Elapsed;
        _nodes.GuardA.AuthIds.TryAccept(second, UnixNow, UnixNow);
        await AwaitConditionAsync(() => Task.FromResult(_nodes.GuardB.AuthIds.Contains(second, UnixNow)), Bound, TimeSpan.FromMilliseconds(1));
        var secondAt = watch.Elapsed;

        _output.WriteLine($"first id on B after {firstAt.TotalMilliseconds:F1} ms, second (accepted then) after {secondAt.TotalMilliseconds:F1} ms");
        Assert.True(firstAt < Window, $"the first id took {firstAt} to reach B: it waited for the window");
        Assert.True(secondAt >= Window, $"the second id reached B after {secondAt}, inside the window after the first batch");
    }
}
