using Akka.Actor;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests;

/// <summary>
/// A user's limits through a one-node cluster's shard region: they travel with the user's record, and the entity
/// suspends the user in the read model when its quota is used up or it expires, and lifts the suspension when allowed.
/// </summary>
public sealed class UserEntityLimitsSpec(ITestOutputHelper output) : OneNodeRegistrySpec(output, RegistrySettings.Default)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Registry.Ask<UserCommandResult>(new UpsertUser(Alice, 0, 0, AliceKey), Bound);
    }

    [Fact]
    public async Task Limits_should_reach_the_read_model_and_survive_an_upsert()
    {
        var limits = new UserLimits(MaxConnections: 2, MaxSourceIps: 1);
        Assert.Equal(UserCommandOutcome.Applied, (await SetLimits(limits)).Outcome);

        await Registry.Ask<UserCommandResult>(new UpsertUser(Alice, 4, 0, AliceKey), Bound);

        var record = await LocalRecordAsync();
        Assert.Equal((limits, (ushort)4, UserSuspension.None), (record!.Limits, record.AlterId, record.Suspension));
    }

    [Fact]
    public async Task A_report_that_reaches_the_quota_should_suspend_the_user_and_a_reset_should_lift_it()
    {
        await SetLimits(new UserLimits(QuotaBytes: 1000));
        await Add(sequence: 1, 400, 599);
        Assert.Equal(UserSuspension.None, (await LocalRecordAsync())!.Suspension);

        await Add(sequence: 2, 1, 0);
        await AwaitSuspensionAsync(UserSuspension.QuotaUsedUp);

        await Registry.Ask<ResetTrafficResult>(new ResetTraffic(AliceKey, true, true), Bound);
        await AwaitSuspensionAsync(UserSuspension.None);
    }

    [Fact]
    public async Task Raising_the_quota_should_lift_the_suspension()
    {
        await SetLimits(new UserLimits(QuotaBytes: 10));
        await Add(sequence: 1, 10, 0);
        await AwaitSuspensionAsync(UserSuspension.QuotaUsedUp);

        await SetLimits(new UserLimits(QuotaBytes: 100));

        await AwaitSuspensionAsync(UserSuspension.None);
    }

    [Fact]
    public async Task A_user_should_be_suspended_when_its_expiry_passes_without_any_other_change()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddMilliseconds(500).ToUnixTimeMilliseconds();
        await SetLimits(new UserLimits(ExpiresAt: expiresAt));
        Assert.Equal(UserSuspension.None, (await LocalRecordAsync())!.Suspension);

        await AwaitSuspensionAsync(UserSuspension.Expired);

        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= expiresAt);
    }

    [Fact]
    public async Task A_suspended_user_should_leave_the_served_accounts_and_be_named_as_suspended()
    {
        var holder = new UserDirectoryHolder();
        Sys.StartRegistryProjector(RegistrySettings.Default, holder);
        await SetLimits(new UserLimits(QuotaBytes: 1));
        await AwaitConditionAsync(() => Task.FromResult(holder.Current.Accounts.Count == 1), Bound);

        await Add(sequence: 1, 1, 0);

        await AwaitConditionAsync(() => Task.FromResult(holder.Current.Accounts.Count == 0), Bound);
        Assert.Equal("user's traffic quota used up", holder.Current.RefusalOf(AliceKey));
    }

    private Task<UserCommandResult> SetLimits(UserLimits limits) => Registry.Ask<UserCommandResult>(new SetUserLimits(AliceKey, limits), Bound);

    private Task<AddTrafficResult> Add(long sequence, long uplink, long downlink) =>
        Registry.Ask<AddTrafficResult>(new AddTraffic(AliceKey, 1, sequence, uplink, downlink), Bound);

    private Task AwaitSuspensionAsync(UserSuspension expected) =>
        AwaitAssertAsync(async () => Assert.Equal(expected, (await LocalRecordAsync())?.Suspension), Bound, TimeSpan.FromMilliseconds(20));
}

/// <summary>An expiry further off than the entity's longest single wait (<see cref="RegistrySettings.LongestExpiryWait"/>).</summary>
public sealed class UserEntityFarExpirySpec(ITestOutputHelper output)
    : OneNodeRegistrySpec(output, RegistrySettings.Default with { LongestExpiryWait = TimeSpan.FromMilliseconds(100) })
{
    [Fact]
    public async Task An_expiry_beyond_the_longest_wait_should_still_suspend_the_user_when_it_passes()
    {
        await Registry.Ask<UserCommandResult>(new UpsertUser(Alice, 0, 0, AliceKey), Bound);
        var expiresAt = DateTimeOffset.UtcNow.AddMilliseconds(700).ToUnixTimeMilliseconds();

        await Registry.Ask<UserCommandResult>(new SetUserLimits(AliceKey, new UserLimits(ExpiresAt: expiresAt)), Bound);

        await AwaitAssertAsync(async () => Assert.Equal(UserSuspension.Expired, (await LocalRecordAsync())?.Suspension), Bound, TimeSpan.FromMilliseconds(20));
    }
}
