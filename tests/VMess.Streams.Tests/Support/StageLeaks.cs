using Akka.Streams;
using Akka.Streams.Implementation;
using Akka.TestKit;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// Leak checks for a spec: every graph the materializer ran has stopped by itself, and every pooled chunk went back.
/// Akka.Streams.TestKit's <c>AssertAllStagesStopped</c> first tells the supervisor to stop its children and then
/// checks they are gone, which passes for a stage that would have run forever; this waits for them to stop on their own.
/// </summary>
internal static class StageLeaks
{
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public static async Task AssertStagesStoppedAsync(this TestKitBase spec, IMaterializer materializer, CountingPool? pool = null)
    {
        var impl = (ActorMaterializerImpl)materializer;
        var probe = spec.CreateTestProbe(impl.System);
        await probe.AwaitAssertAsync(async () =>
        {
            impl.Supervisor.Tell(StreamSupervisor.GetChildren.Instance, probe.Ref);
            var children = (await probe.ExpectMsgAsync<StreamSupervisor.Children>()).Refs;
            Assert.True(children.Count == 0, $"still running: {string.Join(", ", children)}");
        }, StopTimeout);
        if (pool is null) return;
        await probe.AwaitAssertAsync(() => Assert.Equal(0, pool.Outstanding), StopTimeout);
        Assert.Equal(0, pool.BadReturns);
    }
}
