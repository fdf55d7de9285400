using VMess.Api.Cluster;
using VMess.Cluster.Host.Operator;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary>A user's state and limits as the user commands print them.</summary>
public sealed class UserInfoTextTests
{
    [Theory]
    [InlineData(true, "", "enabled", "enabled")]
    [InlineData(false, "", "disabled", "disabled")]
    [InlineData(true, "quota-used-up", "suspended: quota used up", "quota-used-up")]
    [InlineData(true, "expired", "suspended: expired", "expired")]
    [InlineData(false, "expired", "disabled (and suspended: expired)", "disabled")]
    public void State_should_say_whether_the_user_is_enabled_disabled_or_why_it_is_suspended(bool enabled, string suspension, string state, string word)
    {
        var user = new UserInfo { Enabled = enabled, Suspension = suspension };

        Assert.Equal((state, word), (UserInfoText.State(user), UserInfoText.StateWord(user)));
    }

    [Fact]
    public void Limits_should_print_0_as_no_limit_and_never()
    {
        Assert.Equal(
            [("max connections", "no limit"), ("max source IPs", "no limit"), ("quota", "no limit"), ("expires", "never")],
            UserInfoText.Limits(new UserInfo()));
    }

    [Fact]
    public void Limits_should_print_the_quota_readable_and_exact_and_the_expiry_in_UTC()
    {
        var user = new UserInfo { MaxConnections = 3, MaxSourceIps = 1, QuotaBytes = 10_737_418_240, ExpiresAtUnixMs = 1_798_761_600_000 };

        Assert.Equal(
            [("max connections", "3"), ("max source IPs", "1"), ("quota", "10 GiB (10737418240 bytes)"), ("expires", "2027-01-01T00:00:00Z")],
            UserInfoText.Limits(user));
    }
}
