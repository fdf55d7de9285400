using VMess.Protocol.Ids;
using VMess.Registry.Messages;

namespace VMess.Registry.Tests;

public sealed class UserStateTests
{
    private static readonly VMessUserId Alice = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");

    private static UserState Registered(string? email = "alice@example.com") =>
        UserState.Empty.Apply(new UserUpserted(Alice, 0, 1, email), 1);

    [Fact]
    public void Upsert_should_create_an_enabled_user_stamped_with_the_version()
    {
        var state = Registered();
        Assert.Equal(new UserRecord(Alice, 0, 1, "alice@example.com", Enabled: true, Version: 1), state.User);
    }

    [Fact]
    public void Upsert_should_be_unchanged_when_every_field_matches()
    {
        var decision = Registered().Decide(new UpsertUser(Alice, 0, 1, "alice@example.com"));
        Assert.Equal(new UserDecision(UserCommandOutcome.Unchanged, null), decision);
    }

    [Fact]
    public void Upsert_should_keep_a_disabled_user_disabled()
    {
        var state = Registered().Apply(new UserDisabled("alice@example.com"), 2).Apply(new UserUpserted(Alice, 4, 1, "alice@example.com"), 3);
        Assert.False(state.User!.Enabled);
        Assert.Equal(4, state.User.AlterId);
    }

    [Fact]
    public void Remove_enable_and_disable_should_report_NotFound_for_an_unknown_user()
    {
        Assert.Equal(UserCommandOutcome.NotFound, UserState.Empty.Decide(new RemoveUser("x")).Outcome);
        Assert.Equal(UserCommandOutcome.NotFound, UserState.Empty.Decide(new EnableUser("x")).Outcome);
        Assert.Equal(UserCommandOutcome.NotFound, UserState.Empty.Decide(new DisableUser("x")).Outcome);
    }

    [Fact]
    public void Disable_should_be_unchanged_the_second_time()
    {
        var state = Registered().Apply(new UserDisabled("alice@example.com"), 2);
        Assert.Equal(UserCommandOutcome.Unchanged, state.Decide(new DisableUser("alice@example.com")).Outcome);
        Assert.IsType<UserEnabled>(state.Decide(new EnableUser("alice@example.com")).Event);
    }

    [Fact]
    public void Removed_user_should_leave_an_empty_state()
    {
        Assert.Null(Registered().Apply(new UserRemoved("alice@example.com"), 2).User);
    }

    [Fact]
    public void UserKey_should_be_the_lower_cased_email_or_else_the_id()
    {
        Assert.Equal("alice@example.com", new UpsertUser(Alice, 0, 0, "Alice@Example.COM").UserKey);
        Assert.Equal("b831381d-6324-4d53-ad4f-8cda48b30811", new UpsertUser(Alice, 0, 0, null).UserKey);
        Assert.Equal("b831381d-6324-4d53-ad4f-8cda48b30811", new UpsertUser(Alice, 0, 0, "").UserKey);
    }

    [Fact]
    public void Report_should_be_an_event_once_and_nothing_when_sent_again()
    {
        var report = new AddTraffic("alice@example.com", Reporter: 7, Sequence: 1, Uplink: 10, Downlink: 20);
        var added = Registered().Decide(report);

        var state = Registered().Apply(added!, 2);

        Assert.Equal(new TrafficAdded("alice@example.com", 7, 1, 10, 20), added);
        Assert.Null(state.Decide(report));
        Assert.Equal((10L, 20L), (state.Traffic.Uplink, state.Traffic.Downlink));
    }

    [Fact]
    public void Report_should_count_for_a_key_without_a_user()
    {
        var state = UserState.Empty.Apply(new TrafficAdded("gone@example.com", 7, 1, 10, 20), 1);

        Assert.False(state.IsEmpty);
        Assert.Equal(10, state.Traffic.Uplink);
    }

    [Fact]
    public void Reset_should_be_nothing_when_the_chosen_counters_are_zero()
    {
        var state = Registered().Apply(new TrafficAdded("alice@example.com", 7, 1, 0, 20), 2);

        Assert.Null(state.Decide(new ResetTraffic("alice@example.com", Uplink: true, Downlink: false)));
        Assert.NotNull(state.Decide(new ResetTraffic("alice@example.com", Uplink: false, Downlink: true)));
    }

    [Fact]
    public void Removal_should_keep_counters_that_hold_bytes_until_they_are_reset()
    {
        var removed = Registered().Apply(new TrafficAdded("alice@example.com", 7, 1, 10, 20), 2).Apply(new UserRemoved("alice@example.com"), 3);

        var reset = removed.Apply(new TrafficReset("alice@example.com", true, true), 4);

        Assert.Equal((10L, 20L), (removed.Traffic.Uplink, removed.Traffic.Downlink));
        Assert.False(removed.IsEmpty);
        Assert.True(reset.IsEmpty);
    }

    [Fact]
    public void Upsert_and_enable_should_keep_the_counters()
    {
        var state = Registered().Apply(new TrafficAdded("alice@example.com", 7, 1, 10, 20), 2)
            .Apply(new UserUpserted(Alice, 4, 1, "alice@example.com"), 3).Apply(new UserDisabled("alice@example.com"), 4);

        Assert.Equal((10L, 20L), (state.Traffic.Uplink, state.Traffic.Downlink));
    }

    private static readonly UserLimits TwoConnections = new(MaxConnections: 2);

    [Fact]
    public void SetUserLimits_should_persist_new_limits_and_be_unchanged_when_they_match()
    {
        var decision = Registered().Decide(new SetUserLimits("alice@example.com", TwoConnections));
        Assert.Equal(new UserDecision(UserCommandOutcome.Applied, new UserLimitsSet("alice@example.com", TwoConnections)), decision);

        var limited = Registered().Apply(decision.Event!, 2);
        Assert.Equal(TwoConnections, limited.User!.Limits);
        Assert.Equal(2, limited.User.Version);
        Assert.Equal(UserCommandOutcome.Unchanged, limited.Decide(new SetUserLimits("alice@example.com", new UserLimits(MaxConnections: 2))).Outcome);
    }

    [Fact]
    public void SetUserLimits_should_report_NotFound_for_an_unknown_user()
    {
        Assert.Equal(UserCommandOutcome.NotFound, UserState.Empty.Decide(new SetUserLimits("x", TwoConnections)).Outcome);
    }

    [Fact]
    public void Upsert_should_keep_the_users_limits()
    {
        var state = Registered().Apply(new UserLimitsSet("alice@example.com", TwoConnections), 2).Apply(new UserUpserted(Alice, 4, 1, "alice@example.com"), 3);
        Assert.Equal(TwoConnections, state.User!.Limits);
    }

    [Theory]
    [InlineData(0, 0, 999, UserSuspension.None)]
    [InlineData(1000, 0, 999, UserSuspension.None)]
    [InlineData(1000, 0, 1000, UserSuspension.QuotaUsedUp)]
    [InlineData(1000, 600, 400, UserSuspension.QuotaUsedUp)]
    public void A_user_should_be_suspended_once_uplink_plus_downlink_reach_its_quota(long quota, long uplink, long downlink, UserSuspension expected)
    {
        var state = Registered().Apply(new UserLimitsSet("alice@example.com", new UserLimits(QuotaBytes: quota)), 2);
        if (uplink + downlink > 0) state = state.Apply(new TrafficAdded("alice@example.com", 1, 1, uplink, downlink), 3);

        Assert.Equal(expected, state.SuspensionAt(nowMs: 0));
    }

    [Fact]
    public void A_user_should_be_suspended_from_its_expiry_on()
    {
        var state = Registered().Apply(new UserLimitsSet("alice@example.com", new UserLimits(ExpiresAt: 5_000)), 2);

        Assert.Equal(UserSuspension.None, state.SuspensionAt(4_999));
        Assert.Equal(UserSuspension.Expired, state.SuspensionAt(5_000));
    }

    [Fact]
    public void Resetting_the_counters_should_lift_a_quota_suspension()
    {
        var state = Registered().Apply(new UserLimitsSet("alice@example.com", new UserLimits(QuotaBytes: 10)), 2)
            .Apply(new TrafficAdded("alice@example.com", 1, 1, 6, 6), 3)
            .Apply(new TrafficReset("alice@example.com", true, true), 4);

        Assert.Equal(UserSuspension.None, state.SuspensionAt(0));
    }
}
