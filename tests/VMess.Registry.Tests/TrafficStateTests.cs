namespace VMess.Registry.Tests;

public sealed class TrafficStateTests
{
    [Fact]
    public void Add_should_sum_both_directions_and_make_the_counters_exist()
    {
        var state = TrafficState.Empty.Add(reporter: 7, sequence: 1, uplink: 100, downlink: 2000).Add(7, 2, 5, 0);

        Assert.Equal((105L, 2000L), (state.Uplink, state.Downlink));
        Assert.True(state.HasCounters);
        Assert.False(TrafficState.Empty.HasCounters);
    }

    [Fact]
    public void IsApplied_should_hold_for_the_last_sequence_of_a_reporter_and_every_earlier_one_only()
    {
        var state = TrafficState.Empty.Add(7, 5, 1, 1).Add(8, 2, 1, 1);

        Assert.True(state.IsApplied(7, 5));
        Assert.True(state.IsApplied(7, 4));
        Assert.False(state.IsApplied(7, 6));
        Assert.False(state.IsApplied(9, 1));
    }

    [Fact]
    public void Add_should_forget_the_reporter_heard_from_least_recently_past_the_limit()
    {
        var state = TrafficState.Empty;
        for (var reporter = 1; reporter <= TrafficState.MaxReporters; reporter++) state = state.Add(reporter, 1, 1, 0);
        state = state.Add(1, 2, 1, 0);

        state = state.Add(TrafficState.MaxReporters + 1, 1, 1, 0);

        Assert.Equal(TrafficState.MaxReporters, state.LastReports.Length);
        Assert.True(state.IsApplied(1, 2));
        Assert.False(state.IsApplied(2, 1));
    }

    [Fact]
    public void Reset_should_zero_only_the_chosen_direction_and_keep_the_counters()
    {
        var state = TrafficState.Empty.Add(7, 1, 100, 200);

        var reset = state.Reset(uplink: true, downlink: false);

        Assert.Equal((0L, 200L), (reset.Uplink, reset.Downlink));
        Assert.True(reset.IsApplied(7, 1));
    }

    [Fact]
    public void Equal_states_should_compare_their_marks_by_value()
    {
        Assert.Equal(TrafficState.Empty.Add(7, 1, 1, 2), TrafficState.Empty.Add(7, 1, 1, 2));
        Assert.NotEqual(TrafficState.Empty.Add(7, 1, 1, 2), TrafficState.Empty.Add(8, 1, 1, 2));
    }
}
