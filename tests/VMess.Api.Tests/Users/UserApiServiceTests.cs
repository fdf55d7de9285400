using Akka.Actor;
using Grpc.Core;
using V2Ray.Core.App.Proxyman.Command;
using VMess.Api.Cluster;
using VMess.Api.Tests.Support;
using VMess.Protocol.Ids;
using VMess.Registry;
using VMess.Registry.Messages;
using VMess.Registry.Online;

namespace VMess.Api.Tests.Users;

/// <summary>
/// Our UserService against one node in this process: it lists what HandlerService adds, from the registry's replica,
/// with the user's counters and live connections, and names the inbounds that take users.
/// </summary>
public sealed class UserApiServiceTests(ApiTestNode node) : IClassFixture<ApiTestNode>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Grpc.Net.Client.GrpcChannel _channel = node.OpenChannel();

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task ListUsers_should_list_a_user_added_through_AlterInbound_with_its_account()
    {
        var id = VMessUserId.NewRandom();
        await AddAsync("listed@example.com", id, alterId: 4, level: 2);

        var listed = await EventuallyListedAsync("listed@example.com");

        Assert.Equal((id.ToString(), 4u, 2u, true), (listed.Id, listed.AlterId, listed.Level, listed.Enabled));
    }

    [Fact]
    public async Task ListUsers_should_list_a_disabled_user_as_not_enabled()
    {
        await AddAsync("disabled@example.com", VMessUserId.NewRandom());

        var result = await node.Registry.Ask<UserCommandResult>(new DisableUser(UserKey.ForEmail("disabled@example.com")), Timeout);

        Assert.Equal(UserCommandOutcome.Applied, result.Outcome);
        await Support.Eventually.TrueAsync(async () => (await Users().ListUsersAsync(new ListUsersRequest())).Users
            .Any(u => u.Email == "disabled@example.com" && !u.Enabled), Timeout, "the user is listed as disabled");
    }

    [Fact]
    public async Task ListUsers_should_carry_each_users_traffic_totals_and_live_connections()
    {
        await AddAsync("counted@example.com", VMessUserId.NewRandom());
        node.Traffic.Add("user>>>counted@example.com>>>traffic>>>uplink", 1234);
        node.Traffic.Add("user>>>counted@example.com>>>traffic>>>downlink", 56789);
        node.Online.Set(new OnlineUser("counted@example.com", 3, new Dictionary<string, int> { ["127.0.0.1"] = 3 }));

        var listed = await EventuallyListedAsync("counted@example.com");

        Assert.Equal((1234L, 56789L, 3L), (listed.Uplink, listed.Downlink, listed.OnlineConnections));
    }

    [Fact]
    public async Task GetUser_should_find_the_user_by_its_email_in_any_case_at_once_after_AlterInbound()
    {
        var id = VMessUserId.NewRandom();
        await AddAsync("Shown@Example.com", id);

        var user = (await Users().GetUserAsync(new GetUserRequest { Email = "shown@example.COM" })).User;

        Assert.Equal(("Shown@Example.com", id.ToString(), true), (user.Email, user.Id, user.Enabled));
    }

    [Fact]
    public async Task GetUser_should_carry_the_users_source_ips()
    {
        await AddAsync("online@example.com", VMessUserId.NewRandom());
        node.Online.Set(new OnlineUser("online@example.com", 2, new Dictionary<string, int> { ["127.0.0.1"] = 1, ["127.0.0.2"] = 1 }));

        var user = (await Users().GetUserAsync(new GetUserRequest { Email = "online@example.com" })).User;

        Assert.Equal(2, user.OnlineConnections);
        Assert.Equal(new Dictionary<string, long> { ["127.0.0.1"] = 1, ["127.0.0.2"] = 1 }, user.OnlineIps);
    }

    [Fact]
    public async Task GetUser_should_find_a_user_without_an_email_by_its_id()
    {
        var id = VMessUserId.NewRandom();
        await AddAsync("", id);

        var user = (await Users().GetUserAsync(new GetUserRequest { Email = id.ToString().ToUpperInvariant() })).User;

        Assert.Equal(("", id.ToString()), (user.Email, user.Id));
    }

    [Fact]
    public async Task GetUser_should_answer_NotFound_for_an_unknown_user()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Users().GetUserAsync(new GetUserRequest { Email = "nobody@example.com" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("User nobody@example.com not found.", error.Status.Detail);
    }

    [Fact]
    public async Task GetUser_should_answer_InvalidArgument_without_an_email()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Users().GetUserAsync(new GetUserRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task ListInbounds_should_name_the_VMess_inbounds_that_take_users_with_their_bound_ports()
    {
        var inbounds = (await Users().ListInboundsAsync(new ListInboundsRequest())).Inbounds;

        var inbound = Assert.Single(inbounds);
        Assert.Equal((ApiTestNode.VMessTag, "127.0.0.1", (uint)node.VMessPort), (inbound.Tag, inbound.Listen, inbound.Port));
    }

    private UserService.UserServiceClient Users() => new(_channel);

    private async Task AddAsync(string email, VMessUserId id, uint alterId = 0, uint level = 0)
    {
        await new HandlerService.HandlerServiceClient(_channel).AlterInboundAsync(
            V2RayRequests.AddUser(ApiTestNode.VMessTag, email, id.ToString(), alterId, level), deadline: DateTime.UtcNow + Timeout);
    }

    /// <summary>The listing reads this node's replica, which has the change a moment after the call returns.</summary>
    private async Task<UserInfo> EventuallyListedAsync(string email)
    {
        UserInfo? listed = null;
        await Support.Eventually.TrueAsync(async () =>
        {
            listed = (await Users().ListUsersAsync(new ListUsersRequest())).Users.FirstOrDefault(u => u.Email == email);
            return listed is not null;
        }, Timeout, $"{email} is listed");
        return listed!;
    }
}
