using Grpc.Core;
using V2Ray.Core.App.Proxyman.Command;
using VMess.Api.Tests.Support;
using VMess.Protocol;
using VMess.Protocol.Ids;
using Xunit.Abstractions;

namespace VMess.Api.Tests.Handler;

/// <summary>
/// HandlerService through V2Ray's own generated client against one node in this process: users added with
/// AlterInbound join the cluster registry and a real v2ray client authenticates as them; bad requests get clear statuses.
/// </summary>
public sealed class HandlerApiServiceTests(ApiTestNode node, ITestOutputHelper output) : IClassFixture<ApiTestNode>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AddUser_should_let_a_real_v2ray_client_authenticate_as_the_user()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        using var channel = node.OpenChannel();
        var client = new HandlerService.HandlerServiceClient(channel);

        await client.AlterInboundAsync(V2RayRequests.AddUser(ApiTestNode.VMessTag, "added@example.com", id.ToString()), cancellationToken: cts.Token);

        await Eventually.TrueAsync(() => node.ServedUsers.Any(u => u.Id == id), Propagation, "the inbound serves the added user");
        await using var v2ray = await V2RayRelay.StartAsync(node.VMessPort, id.ToString(), output, cts.Token);
        Assert.True(await v2ray.EchoesAsync(cts.Token), v2ray.Output);
    }

    [Fact]
    public async Task RemoveUser_should_make_the_node_refuse_the_user()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        using var channel = node.OpenChannel();
        var client = new HandlerService.HandlerServiceClient(channel);
        await client.AlterInboundAsync(V2RayRequests.AddUser(ApiTestNode.VMessTag, "Removed@example.com", id.ToString()), cancellationToken: cts.Token);
        await Eventually.TrueAsync(() => node.ServedUsers.Any(u => u.Id == id), Propagation, "the inbound serves the added user");
        await using var v2ray = await V2RayRelay.StartAsync(node.VMessPort, id.ToString(), output, cts.Token);
        Assert.True(await v2ray.EchoesAsync(cts.Token), v2ray.Output);
        var unknownUsers = node.Relay.Rejections[DecodeError.UnknownUser];

        // By email, in any case, as V2Ray finds the user to remove.
        await client.AlterInboundAsync(V2RayRequests.RemoveUser(ApiTestNode.VMessTag, "removed@example.com"), cancellationToken: cts.Token);

        await Eventually.TrueAsync(() => node.ServedUsers.All(u => u.Id != id), Propagation, "the inbound no longer serves the removed user");
        Assert.False(await v2ray.EchoesAsync(cts.Token), v2ray.Output);
        await Eventually.TrueAsync(() => node.Relay.Rejections[DecodeError.UnknownUser] > unknownUsers, Propagation, "the handshake is refused as an unknown user");
    }

    [Fact]
    public async Task AddUser_should_succeed_again_for_the_same_user()
    {
        var id = VMessUserId.NewRandom().ToString();
        using var channel = node.OpenChannel();
        var client = new HandlerService.HandlerServiceClient(channel);

        await client.AlterInboundAsync(V2RayRequests.AddUser(ApiTestNode.VMessTag, "twice@example.com", id));
        await client.AlterInboundAsync(V2RayRequests.AddUser(ApiTestNode.VMessTag, "twice@example.com", id));
    }

    [Fact]
    public async Task AlterInbound_should_answer_NotFound_for_an_unknown_tag()
    {
        var error = await CallAsync(V2RayRequests.AddUser("no-such-inbound", "a@example.com", VMessUserId.NewRandom().ToString()));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no inbound has the tag 'no-such-inbound' (this node's: 'vmess-in')", error.Status.Detail);
    }

    [Fact]
    public async Task AlterInbound_should_answer_FailedPrecondition_for_an_inbound_that_is_not_VMess()
    {
        var error = await CallAsync(V2RayRequests.AddUser(ApiTestNode.SocksTag, "a@example.com", VMessUserId.NewRandom().ToString()));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("inbound 'socks-in' is a socks inbound; users go to a VMess inbound (this node's: 'vmess-in')", error.Status.Detail);
    }

    [Fact]
    public async Task AlterInbound_should_answer_FailedPrecondition_for_the_api_inbound()
    {
        var error = await CallAsync(V2RayRequests.AddUser(ApiTestNode.ApiTag, "a@example.com", VMessUserId.NewRandom().ToString()));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task AlterInbound_should_answer_InvalidArgument_for_an_id_that_is_not_a_uuid()
    {
        var error = await CallAsync(V2RayRequests.AddUser(ApiTestNode.VMessTag, "a@example.com", "not-a-uuid"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("user 'a@example.com': id 'not-a-uuid' is not a UUID", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlterInbound_should_answer_InvalidArgument_for_an_operation_that_is_not_a_user_operation()
    {
        var request = new AlterInboundRequest
        {
            Tag = ApiTestNode.VMessTag,
            Operation = V2RayRequests.Typed(new RemoveOutboundRequest { Tag = "x" }),
        };

        var error = await CallAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("unknown inbound operation 'v2ray.core.app.proxyman.command.RemoveOutboundRequest'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveUser_should_answer_NotFound_for_an_unknown_email_in_V2Rays_words()
    {
        var error = await CallAsync(V2RayRequests.RemoveUser(ApiTestNode.VMessTag, "nobody@example.com"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("User nobody@example.com not found.", error.Status.Detail);
    }

    [Fact]
    public async Task AddInbound_should_answer_Unimplemented_saying_why()
    {
        using var channel = node.OpenChannel();
        var client = new HandlerService.HandlerServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.AddInboundAsync(new AddInboundRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.StartsWith("HandlerService.AddInbound is not supported: a node's inbounds and outbounds come from its config file", error.Status.Detail,
            StringComparison.Ordinal);
    }

    private async Task<RpcException> CallAsync(AlterInboundRequest request)
    {
        using var channel = node.OpenChannel();
        var client = new HandlerService.HandlerServiceClient(channel);
        return await Assert.ThrowsAsync<RpcException>(async () => await client.AlterInboundAsync(request));
    }
}
