using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2Ray.Core.App.Stats.Command;
using VMess.Api.Cluster;
using VMess.Api.Tests.Support;
using VMess.Testing;

namespace VMess.Api.Tests.Security;

/// <summary>
/// Off loopback, every call needs the node's token. The API listens on 0.0.0.0 here and is called through 127.0.0.1:
/// the token follows from where the API listens, not from the path a call takes, and tests send nothing to this
/// machine's other (private-range) addresses.
/// </summary>
public sealed class BearerTokenInterceptorTests : IAsyncLifetime
{
    private const string Token = "s3cret-token";

    private readonly CapturingLoggers _logs = new();
    private ApiHost _api = null!;
    private Grpc.Net.Client.GrpcChannel _channel = null!;

    private StatsService.StatsServiceClient Client => new(_channel);

    public async Task InitializeAsync()
    {
        _api = await StandaloneApi.StartAsync(listen: "0.0.0.0", settings: new ApiHostSettings { Token = Token }, loggers: _logs, serveUsers: true);
        _channel = _api.OpenChannel();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task A_call_without_the_token_should_be_refused_as_Unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetSysStatsAsync(new SysStatsRequest()));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("authorization: Bearer TOKEN", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_with_a_wrong_token_should_be_refused_as_Unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.GetSysStatsAsync(new SysStatsRequest(), Bearer("not-the-token")));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task A_refused_call_should_be_logged_without_the_token_it_carried()
    {
        await Assert.ThrowsAsync<RpcException>(async () => await Client.GetSysStatsAsync(new SysStatsRequest(), Bearer("guess")));

        var refusal = Assert.Single(_logs.Entries, e => e.Message.StartsWith("api: refused", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, refusal.Level);
        Assert.Contains("/v2ray.core.app.stats.command.StatsService/GetSysStats", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("wrong token", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("guess", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_change_through_our_UserService_without_the_token_should_be_refused_as_Unauthenticated()
    {
        var users = new UserService.UserServiceClient(_channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await users.SetUserLimitsAsync(new SetUserLimitsRequest { Email = "alice@example.com", MaxConnections = 1 }));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task A_call_with_the_token_should_be_served()
    {
        var response = await Client.GetSysStatsAsync(new SysStatsRequest(), Bearer(Token));

        Assert.True(response.NumGoroutine > 0);
    }

    [Fact]
    public async Task V2ctl_which_sends_no_token_should_be_refused()
    {
        var (exitCode, _, stderr) = await V2Ctl.ApiAsync(_api.EndPoint.Port, "StatsService.GetSysStats", "");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Unauthenticated", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loopback_api_should_serve_calls_without_the_token_even_when_one_is_set()
    {
        await using var loopback = await StandaloneApi.StartAsync(settings: new ApiHostSettings { Token = Token });
        using var channel = loopback.OpenChannel();

        var response = await new StatsService.StatsServiceClient(channel).GetSysStatsAsync(new SysStatsRequest());

        Assert.True(response.NumGoroutine > 0);
    }

    [Fact]
    public async Task Starting_on_a_non_loopback_address_without_a_token_should_fail_saying_what_to_set()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StandaloneApi.StartAsync(listen: "0.0.0.0"));

        Assert.Contains("VMess:Api:Token", error.Message, StringComparison.Ordinal);
        Assert.Contains("VMess__Api__Token", error.Message, StringComparison.Ordinal);
    }

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };
}
