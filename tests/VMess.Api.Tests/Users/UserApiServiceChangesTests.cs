using Akka.Actor;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2Ray.Core.App.Proxyman.Command;
using VMess.Api.Cluster;
using VMess.Api.Tests.Support;
using VMess.Protocol.Ids;
using VMess.Registry;
using VMess.Registry.Messages;

namespace VMess.Api.Tests.Users;

/// <summary>
/// Our UserService's changes against one node in this process: a user's limits and its enabled flag go to the
/// registry (and are logged), and GetUser and ListUsers show the limits and why a user is suspended.
/// </summary>
public sealed class UserApiServiceChangesTests(ApiTestNode node) : IClassFixture<ApiTestNode>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(10);

    private readonly Grpc.Net.Client.GrpcChannel _channel = node.OpenChannel();

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task SetUserLimits_should_apply_the_limits_that_GetUser_then_shows()
    {
        await AddAsync("limited@example.com");

        var set = await Users().SetUserLimitsAsync(Limits("Limited@Example.com", 3, 2, 10_000_000_000, 4_102_444_800_000));

        Assert.True(set.Applied);
        var user = await GetAsync("limited@example.com");
        Assert.Equal((3, 2, 10_000_000_000L, 4_102_444_800_000L, ""),
            (user.MaxConnections, user.MaxSourceIps, user.QuotaBytes, user.ExpiresAtUnixMs, user.Suspension));
    }

    [Fact]
    public async Task SetUserLimits_should_answer_not_applied_for_the_limits_the_user_already_has()
    {
        await AddAsync("same-limits@example.com");
        Assert.True((await Users().SetUserLimitsAsync(Limits("same-limits@example.com", maxConnections: 5))).Applied);

        var again = await Users().SetUserLimitsAsync(Limits("same-limits@example.com", maxConnections: 5));

        Assert.False(again.Applied);
    }

    [Fact]
    public async Task SetUserLimits_should_answer_NotFound_for_an_unknown_user()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Users().SetUserLimitsAsync(Limits("nobody@example.com", maxConnections: 1)));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("User nobody@example.com not found.", error.Status.Detail);
    }

    [Fact]
    public async Task SetUserLimits_should_answer_InvalidArgument_naming_every_negative_limit()
    {
        await AddAsync("negative@example.com");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Users().SetUserLimitsAsync(Limits("negative@example.com", maxConnections: -1, quotaBytes: -5)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("MaxConnections must be 0 (no limit) or positive, was -1. QuotaBytes must be 0 (no limit) or positive, was -5.", error.Status.Detail);
    }

    [Fact]
    public async Task SetUserLimits_should_answer_InvalidArgument_without_an_email()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Users().SetUserLimitsAsync(new SetUserLimitsRequest { MaxConnections = 1 }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("SetUserLimits needs the user's email (or the id of a user without one)", error.Status.Detail);
    }

    [Fact]
    public async Task SetUserLimits_should_be_logged_with_the_user_and_its_new_limits()
    {
        await AddAsync("logged@example.com");

        await Users().SetUserLimitsAsync(Limits("logged@example.com", maxSourceIps: 2, expiresAtUnixMs: 1_798_761_600_000));

        var entry = Assert.Single(node.Logs.Entries, e => e.Message.StartsWith("api: UserService.SetUserLimits 'logged@example.com'", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("api: UserService.SetUserLimits 'logged@example.com' to max connections none, max source IPs 2, quota none, " +
            "expiry 2027-01-01T00:00:00Z: Applied", entry.Message);
    }

    [Fact]
    public async Task DisableUser_should_make_the_node_refuse_the_user_and_list_it_as_not_enabled()
    {
        var id = await AddAsync("cut-off@example.com");
        await Support.Eventually.TrueAsync(() => node.ServedUsers.Any(u => u.Id == id), Propagation, "the inbound serves the added user");

        var disabled = await Users().DisableUserAsync(new DisableUserRequest { Email = "cut-off@example.com" });

        Assert.True(disabled.Applied);
        await Support.Eventually.TrueAsync(() => node.ServedUsers.All(u => u.Id != id), Propagation, "the inbound no longer serves the disabled user");
        Assert.False((await GetAsync("cut-off@example.com")).Enabled);
    }

    [Fact]
    public async Task EnableUser_should_make_the_node_serve_a_disabled_user_again()
    {
        var id = await AddAsync("back@example.com");
        await Users().DisableUserAsync(new DisableUserRequest { Email = "back@example.com" });

        var enabled = await Users().EnableUserAsync(new EnableUserRequest { Email = "back@example.com" });

        Assert.True(enabled.Applied);
        await Support.Eventually.TrueAsync(() => node.ServedUsers.Any(u => u.Id == id), Propagation, "the inbound serves the enabled user");
        Assert.True((await GetAsync("back@example.com")).Enabled);
    }

    [Fact]
    public async Task EnableUser_should_answer_not_applied_for_a_user_that_is_enabled()
    {
        await AddAsync("already@example.com");

        var enabled = await Users().EnableUserAsync(new EnableUserRequest { Email = "already@example.com" });

        Assert.False(enabled.Applied);
    }

    [Fact]
    public async Task DisableUser_should_be_logged_with_the_user()
    {
        await AddAsync("logged-off@example.com");

        await Users().DisableUserAsync(new DisableUserRequest { Email = "logged-off@example.com" });

        Assert.Contains(node.Logs.Entries, e => e.Message == "api: UserService.DisableUser 'logged-off@example.com': Applied");
    }

    [Fact]
    public async Task DisableUser_should_answer_NotFound_for_an_unknown_user()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Users().DisableUserAsync(new DisableUserRequest { Email = "nobody@example.com" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task EnableUser_should_find_a_user_without_an_email_by_its_id()
    {
        var id = await AddAsync("");
        await Users().DisableUserAsync(new DisableUserRequest { Email = id.ToString() });

        var enabled = await Users().EnableUserAsync(new EnableUserRequest { Email = id.ToString() });

        Assert.True(enabled.Applied);
    }

    [Fact]
    public async Task GetUser_should_show_an_expired_user_as_suspended_but_enabled()
    {
        await AddAsync("expired@example.com");

        await Users().SetUserLimitsAsync(Limits("expired@example.com", expiresAtUnixMs: 1_000));

        var user = await GetAsync("expired@example.com");
        Assert.Equal(("expired", true), (user.Suspension, user.Enabled));
    }

    [Fact]
    public async Task GetUser_should_show_a_user_whose_quota_is_used_up_as_suspended()
    {
        await AddAsync("used-up@example.com");
        await node.Registry.Ask<AddTrafficResult>(new AddTraffic(UserKey.ForEmail("used-up@example.com"), Reporter: 1, Sequence: 1, 600, 500), Timeout);

        await Users().SetUserLimitsAsync(Limits("used-up@example.com", quotaBytes: 1000));

        Assert.Equal("quota-used-up", (await GetAsync("used-up@example.com")).Suspension);
    }

    [Fact]
    public async Task EnableUser_should_not_lift_a_suspension()
    {
        await AddAsync("still-expired@example.com");
        await Users().SetUserLimitsAsync(Limits("still-expired@example.com", expiresAtUnixMs: 1_000));

        var enabled = await Users().EnableUserAsync(new EnableUserRequest { Email = "still-expired@example.com" });

        Assert.False(enabled.Applied);
        Assert.Equal("expired", (await GetAsync("still-expired@example.com")).Suspension);
    }

    [Fact]
    public async Task ListUsers_should_carry_each_users_limits_and_suspension()
    {
        await AddAsync("listed-limits@example.com");
        await Users().SetUserLimitsAsync(Limits("listed-limits@example.com", 1, 1, 5, 1_000));

        UserInfo? listed = null;
        await Support.Eventually.TrueAsync(async () =>
        {
            listed = (await Users().ListUsersAsync(new ListUsersRequest())).Users.FirstOrDefault(u => u.Email == "listed-limits@example.com");
            return listed is { MaxConnections: 1 };
        }, Timeout, "the user is listed with its limits");

        Assert.Equal((1, 1, 5L, 1_000L, "expired"), (listed!.MaxConnections, listed.MaxSourceIps, listed.QuotaBytes, listed.ExpiresAtUnixMs, listed.Suspension));
    }

    private UserService.UserServiceClient Users() => new(_channel);

    private static SetUserLimitsRequest Limits(string email, int maxConnections = 0, int maxSourceIps = 0, long quotaBytes = 0, long expiresAtUnixMs = 0) =>
        new() { Email = email, MaxConnections = maxConnections, MaxSourceIps = maxSourceIps, QuotaBytes = quotaBytes, ExpiresAtUnixMs = expiresAtUnixMs };

    private async Task<UserInfo> GetAsync(string email) => (await Users().GetUserAsync(new GetUserRequest { Email = email })).User;

    private async Task<VMessUserId> AddAsync(string email)
    {
        var id = VMessUserId.NewRandom();
        await new HandlerService.HandlerServiceClient(_channel).AlterInboundAsync(
            V2RayRequests.AddUser(ApiTestNode.VMessTag, email, id.ToString()), deadline: DateTime.UtcNow + Timeout);
        return id;
    }
}
