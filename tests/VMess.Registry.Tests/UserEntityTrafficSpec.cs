using Akka.Actor;
using Akka.DistributedData;
using VMess.Registry.Messages;
using VMess.Registry.Tests.Support;
using VMess.Registry.Traffic;
using Xunit.Abstractions;

namespace VMess.Registry.Tests;

/// <summary>The entity's traffic counters through a one-node cluster's shard region.</summary>
public sealed class UserEntityTrafficSpec(ITestOutputHelper output) : OneNodeRegistrySpec(output, RegistrySettings.Default with { SnapshotEvery = 3 })
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Registry.Ask<UserCommandResult>(new UpsertUser(Alice, 0, 0, "Alice@example.com"), Bound);
    }

    [Fact]
    public async Task Reports_should_add_up_and_each_be_answered_with_its_sequence()
    {
        Assert.Equal(1, (await Add(reporter: 1, sequence: 1, 100, 1000)).Sequence);
        Assert.Equal(2, (await Add(reporter: 1, sequence: 2, 5, 50)).Sequence);
        await Add(reporter: 2, sequence: 1, 1, 1);

        Assert.Equal(new GetTrafficResult(AliceKey, 106, 1051, true), await Get());
    }

    [Fact]
    public async Task Report_sent_again_should_be_answered_and_counted_once()
    {
        await Add(1, 1, 100, 1000);

        var again = await Add(1, 1, 100, 1000);

        Assert.Equal(1, again.Sequence);
        Assert.Equal(new GetTrafficResult(AliceKey, 100, 1000, true), await Get());
    }

    [Fact]
    public async Task Counters_should_not_exist_before_the_first_report()
    {
        Assert.Equal(new GetTrafficResult(AliceKey, 0, 0, false), await Get());
    }

    [Fact]
    public async Task Reset_should_answer_the_values_before_and_zero_only_the_chosen_direction()
    {
        await Add(1, 1, 100, 1000);

        var before = await Registry.Ask<ResetTrafficResult>(new ResetTraffic(AliceKey, Uplink: true, Downlink: false), Bound);

        Assert.Equal(new ResetTrafficResult(AliceKey, 100, 1000), before);
        Assert.Equal(new GetTrafficResult(AliceKey, 0, 1000, true), await Get());
    }

    [Fact]
    public async Task Every_change_should_be_in_the_local_traffic_bucket_with_the_users_email()
    {
        await Add(1, 1, 100, 1000);
        await Add(1, 2, 1, 1);

        var record = await LocalTrafficRecordAsync();

        Assert.Equal(("Alice@example.com", 101L, 1001L), (record!.Email, record.Uplink, record.Downlink));
    }

    [Fact]
    public async Task Reset_of_a_removed_user_should_drop_its_counters_from_the_bucket()
    {
        await Add(1, 1, 100, 1000);
        await Registry.Ask<UserCommandResult>(new RemoveUser(AliceKey), Bound);
        Assert.Equal(new GetTrafficResult(AliceKey, 100, 1000, true), await Get());

        await Registry.Ask<ResetTrafficResult>(new ResetTraffic(AliceKey, true, true), Bound);

        await AwaitAssertAsync(async () => Assert.Null(await LocalTrafficRecordAsync()), Bound);
    }

    [Fact]
    public async Task Snapshots_should_not_change_the_counters()
    {
        for (var sequence = 1; sequence <= 10; sequence++) await Add(1, sequence, sequence, 1);
        await Add(1, 7, 1000, 1000);

        Assert.Equal(new GetTrafficResult(AliceKey, 55, 10, true), await Get());
    }

    private Task<AddTrafficResult> Add(long reporter, long sequence, long uplink, long downlink) =>
        Registry.Ask<AddTrafficResult>(new AddTraffic(AliceKey, reporter, sequence, uplink, downlink), Bound);

    private Task<GetTrafficResult> Get() => Registry.Ask<GetTrafficResult>(new GetTraffic(AliceKey), Bound);

    private async Task<UserTrafficRecord?> LocalTrafficRecordAsync()
    {
        var bucket = TrafficBuckets.KeyFor(AliceKey, RegistrySettings.Default.BucketCount);
        var response = await DistributedData.Get(Sys).Replicator.Ask<IGetResponse>(Dsl.Get(bucket, ReadLocal.Instance), Bound);
        return response is GetSuccess success && success.Get(bucket).TryGetValue(AliceKey, out var record) ? record : null;
    }
}
