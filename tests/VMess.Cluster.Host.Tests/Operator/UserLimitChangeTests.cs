using VMess.Api.Cluster;
using VMess.Cluster.Host.Operator;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary><c>user limit</c>'s options: only the limits given change, the others are kept as GetUser read them.</summary>
public sealed class UserLimitChangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static readonly UserInfo Current = new()
    {
        Email = "alice@example.com", MaxConnections = 4, MaxSourceIps = 2, QuotaBytes = 1_000_000, ExpiresAtUnixMs = 1_798_761_600_000,
    };

    [Fact]
    public void ApplyTo_should_keep_every_limit_that_was_not_given()
    {
        var request = Change("--quota", "10GiB").ApplyTo(Current, "alice@example.com");

        Assert.Equal(("alice@example.com", 4, 2, 10_737_418_240L, 1_798_761_600_000L),
            (request.Email, request.MaxConnections, request.MaxSourceIps, request.QuotaBytes, request.ExpiresAtUnixMs));
    }

    [Fact]
    public void ApplyTo_should_set_every_limit_that_was_given()
    {
        var request = Change("--max-connections", "3", "--max-ips", "1", "--quota", "500MB", "--expires", "30d").ApplyTo(Current, "alice@example.com");

        Assert.Equal((3, 1, 500_000_000L, Now.AddDays(30).ToUnixTimeMilliseconds()),
            (request.MaxConnections, request.MaxSourceIps, request.QuotaBytes, request.ExpiresAtUnixMs));
    }

    [Fact]
    public void ApplyTo_should_lift_a_limit_given_as_0_or_never()
    {
        var request = Change("--max-connections", "0", "--quota", "0", "--expires", "never").ApplyTo(Current, "alice@example.com");

        Assert.Equal((0, 2, 0L, 0L), (request.MaxConnections, request.MaxSourceIps, request.QuotaBytes, request.ExpiresAtUnixMs));
    }

    [Fact]
    public void From_should_be_empty_without_a_limit_option()
    {
        Assert.True(Change().IsEmpty);
    }

    [Theory]
    [InlineData("--max-connections", "-1", "--max-connections must be a whole number within 0..2147483647, was '-1'")]
    [InlineData("--max-ips", "two", "--max-ips must be a whole number within 0..2147483647, was 'two'")]
    [InlineData("--quota", "10G", "--quota must be 0 (no limit) or bytes (1000000) or a number with a unit")]
    [InlineData("--expires", "tomorrow", "--expires must be an ISO-8601 date or date and time")]
    public void From_should_refuse_a_bad_value_saying_what_it_takes(string option, string value, string message)
    {
        var error = Assert.Throws<UsageException>(() => Change(option, value));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    private static UserLimitChange Change(params string[] args) =>
        UserLimitChange.From(OperatorArguments.Parse(args, "user limit", 0, UserLimitChange.OptionNames), Now);
}
