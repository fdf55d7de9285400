using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using VMess.Registry.Messages;
using VMess.Registry.Tests.Support;
using VMess.Registry.Traffic;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Traffic;

/// <summary>The reporter against a probe standing in for the shard region.</summary>
public sealed class TrafficReporterSpec(ITestOutputHelper output) : TestKit(RegistryCluster.LocalSetup(), RegistryCluster.SystemName, output)
{
    private const long Reporter = 4242;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly TrafficSettings Fast = new() { ReportInterval = TimeSpan.FromMilliseconds(100), ResendAfter = TimeSpan.FromMilliseconds(300) };
    private readonly TrafficLedger _ledger = new();

    [Fact]
    public async Task Reporter_should_send_each_user_with_new_bytes_one_report_keyed_by_the_lower_cased_email()
    {
        var registry = CreateTestProbe();
        FakeConnection.Open(_ledger, "Alice@Example.com").Payload = new(100, 2000);
        FakeConnection.Open(_ledger, "bob@example.com").Payload = new(7, 0);
        FakeConnection.Open(_ledger, user: null).Payload = new(55, 55);

        Start(registry);

        var reports = new[] { await registry.ExpectMsgAsync<AddTraffic>(Bound), await registry.ExpectMsgAsync<AddTraffic>(Bound) }
            .OrderBy(r => r.UserKey).ToArray();
        Assert.Equal(("alice@example.com", Reporter, 100L, 2000L), (reports[0].UserKey, reports[0].Reporter, reports[0].Uplink, reports[0].Downlink));
        Assert.Equal(("bob@example.com", 7L, 0L), (reports[1].UserKey, reports[1].Uplink, reports[1].Downlink));
        Assert.NotEqual(reports[0].Sequence, reports[1].Sequence);
    }

    [Fact]
    public async Task Unanswered_report_should_be_sent_again_unchanged_and_new_bytes_should_wait_for_its_answer()
    {
        var registry = CreateTestProbe();
        var connection = FakeConnection.Open(_ledger, "alice@example.com");
        connection.Payload = new(10, 20);
        Start(registry);
        var first = await registry.ExpectMsgAsync<AddTraffic>(Bound);

        connection.Payload = new(15, 20);
        var again = await registry.ExpectMsgAsync<AddTraffic>(Bound);

        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Answered_report_should_let_the_next_carry_only_the_bytes_since()
    {
        var registry = CreateTestProbe();
        var connection = FakeConnection.Open(_ledger, "alice@example.com");
        connection.Payload = new(10, 20);
        var reporter = Start(registry);
        var first = await registry.ExpectMsgAsync<AddTraffic>(Bound);

        connection.Payload = new(15, 26);
        reporter.Tell(new AddTrafficResult(first.UserKey, first.Sequence), registry);
        var next = await registry.ExpectMsgAsync<AddTraffic>(Bound);

        Assert.Equal((5L, 6L), (next.Uplink, next.Downlink));
        Assert.True(next.Sequence > first.Sequence);
    }

    [Fact]
    public async Task Answer_to_an_earlier_report_should_not_count_for_the_one_awaiting_its_own()
    {
        var registry = CreateTestProbe();
        var connection = FakeConnection.Open(_ledger, "alice@example.com");
        connection.Payload = new(10, 0);
        var reporter = Start(registry);
        var first = await registry.ExpectMsgAsync<AddTraffic>(Bound);
        connection.Payload = new(11, 0);
        reporter.Tell(new AddTrafficResult(first.UserKey, first.Sequence), registry);
        var second = await registry.ExpectMsgAsync<AddTraffic>(Bound);

        reporter.Tell(new AddTrafficResult(first.UserKey, first.Sequence), registry);

        Assert.Equal(second, await registry.ExpectMsgAsync<AddTraffic>(Bound));
    }

    [Fact]
    public async Task Flush_should_report_at_once_and_answer_when_every_report_is_answered()
    {
        var registry = CreateTestProbe();
        var slow = new TrafficSettings { ReportInterval = TimeSpan.FromMinutes(1), ResendAfter = TimeSpan.FromMinutes(1) };
        var reporter = Sys.ActorOf(TrafficReporter.Props(_ledger, registry, slow, Reporter));
        FakeConnection.Open(_ledger, "alice@example.com").Payload = new(1, 2);

        var flushed = reporter.Ask<TrafficFlushed>(FlushTraffic.Instance, Bound);
        var report = await registry.ExpectMsgAsync<AddTraffic>(Bound);
        Assert.False(flushed.IsCompleted);
        reporter.Tell(new AddTrafficResult(report.UserKey, report.Sequence), registry);

        await flushed.WaitAsync(Bound);
    }

    private IActorRef Start(TestProbe registry) => Sys.ActorOf(TrafficReporter.Props(_ledger, registry, Fast, Reporter));
}
