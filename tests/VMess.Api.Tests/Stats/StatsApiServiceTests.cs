using Grpc.Core;
using V2Ray.Core.App.Stats.Command;
using VMess.Api.Stats;
using VMess.Api.Tests.Support;
using VMess.Registry.Online;
using OurStats = VMess.Api.V2Ray.App.Stats.Command;

namespace VMess.Api.Tests.Stats;

/// <summary>StatsService through V2Ray's own generated client (and Xray's online queries through ours), over stub counters.</summary>
public sealed class StatsApiServiceTests : IAsyncLifetime
{
    private const string Uplink = "user>>>alice@example.com>>>traffic>>>uplink";
    private const string Downlink = "user>>>alice@example.com>>>traffic>>>downlink";
    private const string InboundUplink = "inbound>>>vmess-in>>>traffic>>>uplink";

    private readonly InMemoryTrafficStats _traffic = new();
    private readonly InMemoryOnlineUsers _online = new();
    private ApiHost _api = null!;
    private Grpc.Net.Client.GrpcChannel _channel = null!;

    private StatsService.StatsServiceClient Client => new(_channel);

    public async Task InitializeAsync()
    {
        _traffic.Add(Uplink, 1234);
        _traffic.Add(Downlink, 56789);
        _traffic.Add(InboundUplink, 42);
        _api = await StandaloneApi.StartAsync(_traffic, _online);
        _channel = _api.OpenChannel();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task GetStats_should_return_the_counter()
    {
        var response = await Client.GetStatsAsync(new GetStatsRequest { Name = Downlink });

        Assert.Equal(new Stat { Name = Downlink, Value = 56789 }, response.Stat);
    }

    [Fact]
    public async Task GetStats_with_reset_should_return_the_value_before_and_zero_the_counter()
    {
        var before = await Client.GetStatsAsync(new GetStatsRequest { Name = Uplink, Reset = true });
        var after = await Client.GetStatsAsync(new GetStatsRequest { Name = Uplink });

        Assert.Equal(1234, before.Stat.Value);
        Assert.Equal(0, after.Stat.Value);
    }

    [Fact]
    public async Task GetStats_should_answer_NotFound_for_an_unknown_counter_as_V2Ray_fails()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetStatsAsync(new GetStatsRequest { Name = "user>>>nobody>>>traffic>>>uplink" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("user>>>nobody>>>traffic>>>uplink not found.", error.Status.Detail);
    }

    [Fact]
    public async Task QueryStats_should_return_the_counters_whose_names_contain_the_pattern_in_name_order()
    {
        var response = await Client.QueryStatsAsync(new QueryStatsRequest { Pattern = "user>>>alice@" });

        Assert.Equal([new Stat { Name = Downlink, Value = 56789 }, new Stat { Name = Uplink, Value = 1234 }], response.Stat);
    }

    [Fact]
    public async Task QueryStats_with_an_empty_pattern_should_return_every_counter()
    {
        var response = await Client.QueryStatsAsync(new QueryStatsRequest { Pattern = "" });

        Assert.Equal([InboundUplink, Downlink, Uplink], response.Stat.Select(s => s.Name));
    }

    [Fact]
    public async Task QueryStats_with_reset_should_zero_the_matching_counters_only()
    {
        await Client.QueryStatsAsync(new QueryStatsRequest { Pattern = "inbound>>>", Reset = true });

        var response = await Client.QueryStatsAsync(new QueryStatsRequest());
        Assert.Equal([0, 56789, 1234], response.Stat.Select(s => s.Value));
    }

    [Fact]
    public async Task GetSysStats_should_report_the_runtime_in_V2Rays_fields()
    {
        var response = await Client.GetSysStatsAsync(new SysStatsRequest());

        Assert.True(response.NumGoroutine > 0, $"threads: {response.NumGoroutine}");
        Assert.True(response.Alloc > 0, $"Alloc: {response.Alloc}");
        Assert.True(response.TotalAlloc >= response.Alloc, $"TotalAlloc {response.TotalAlloc} < Alloc {response.Alloc}");
        Assert.True(response.Sys > 0, $"Sys: {response.Sys}");
    }

    [Fact]
    public async Task GetStatsOnline_should_return_the_users_live_connections()
    {
        _online.Set(new OnlineUser("bob@example.com", 3, new Dictionary<string, int> { ["127.0.0.1"] = 3 }));
        var client = new OurStats.StatsService.StatsServiceClient(_channel);

        var response = await client.GetStatsOnlineAsync(new OurStats.GetStatsRequest { Name = "user>>>bob@example.com>>>online" });

        Assert.Equal(new OurStats.Stat { Name = "user>>>bob@example.com>>>online", Value = 3 }, response.Stat);
    }

    [Fact]
    public async Task GetStatsOnline_should_answer_NotFound_for_a_user_without_live_connections()
    {
        var client = new OurStats.StatsService.StatsServiceClient(_channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetStatsOnlineAsync(new OurStats.GetStatsRequest { Name = "user>>>offline@example.com>>>online" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("user>>>offline@example.com>>>online not found.", error.Status.Detail);
    }

    [Fact]
    public async Task GetStatsOnlineIpList_should_map_each_source_ip_to_its_live_connections()
    {
        _online.Set(new OnlineUser("carol@example.com", 3, new Dictionary<string, int> { ["127.0.0.1"] = 2, ["::1"] = 1 }));
        var client = new OurStats.StatsService.StatsServiceClient(_channel);

        var response = await client.GetStatsOnlineIpListAsync(new OurStats.GetStatsRequest { Name = "user>>>carol@example.com>>>online" });

        Assert.Equal("user>>>carol@example.com>>>online", response.Name);
        Assert.Equal(new Dictionary<string, long> { ["127.0.0.1"] = 2, ["::1"] = 1 }, response.Ips);
    }

    [Fact]
    public async Task A_service_not_named_in_api_services_should_answer_Unimplemented()
    {
        await using var api = await StandaloneApi.StartAsync(services: "\"HandlerService\"");
        using var channel = api.OpenChannel();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new StatsService.StatsServiceClient(channel).GetSysStatsAsync(new SysStatsRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}
