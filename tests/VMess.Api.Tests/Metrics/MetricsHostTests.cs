using System.Net.Sockets;
using Akka.Actor;
using VMess.Api.Tests.Support;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;

namespace VMess.Api.Tests.Metrics;

/// <summary>
/// The node's Prometheus endpoint scraped over HTTP on loopback: each meter shows the counter behind it, tagged with
/// the node's cluster address.
/// </summary>
public sealed class MetricsHostTests(MetricsTestNode node) : IClassFixture<MetricsTestNode>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Scrape_should_report_a_connection_open_and_counted_on_its_inbound()
    {
        var before = (await node.ScrapeAsync()).Value("vmess_connections_total", ("inbound", MetricsTestNode.VMessTag)) ?? 0;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", node.VMessPort);

        await ScrapedAsync(s => s.Value("vmess_connections_open", ("inbound", MetricsTestNode.VMessTag)) >= 1
            && s.Value("vmess_connections_total", ("inbound", MetricsTestNode.VMessTag)) >= before + 1, "the connection open and counted");
    }

    [Fact]
    public async Task Scrape_should_count_a_handshake_from_an_unknown_user_under_its_cause()
    {
        const int seed = 7;
        var before = (await node.ScrapeAsync()).Value("vmess_rejections_total", ("cause", "UnknownUser")) ?? 0;
        var garbage = new byte[64];
        new Random(seed).NextBytes(garbage);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", node.VMessPort);
        await client.GetStream().WriteAsync(garbage);

        await ScrapedAsync(s => s.Value("vmess_rejections_total", ("cause", "UnknownUser")) >= before + 1,
            $"the rejection counted as UnknownUser (seed {seed})");
    }

    [Fact]
    public async Task Scrape_should_time_a_rejected_handshakes_decoding_in_the_auth_duration_histogram()
    {
        var before = (await node.ScrapeAsync()).Value("vmess_auth_duration_seconds_count", ("outcome", "rejected")) ?? 0;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", node.VMessPort);
        await client.GetStream().WriteAsync(new byte[64]);

        await ScrapedAsync(s => s.Value("vmess_auth_duration_seconds_count", ("outcome", "rejected")) >= before + 1
            && s.Value("vmess_auth_duration_seconds_sum", ("outcome", "rejected")) > 0, "the handshake timed as rejected");
    }

    [Fact]
    public async Task Scrape_should_report_every_rejection_cause_from_the_start()
    {
        var scrape = await node.ScrapeAsync();

        Assert.NotNull(scrape.Value("vmess_rejections_total", ("cause", "ReplayedAuthId")));
        Assert.NotNull(scrape.Value("vmess_rejections_total", ("cause", "TooManyConnections")));
    }

    [Fact]
    public async Task Scrape_should_report_a_user_added_to_the_registry_and_the_sync_lag_it_took()
    {
        var result = await node.Registry.Ask<UserCommandResult>(
            new UpsertUser(VMessUserId.NewRandom(), 0, 0, "metered@example.com"), Timeout);

        Assert.Equal(UserCommandOutcome.Applied, result.Outcome);
        await ScrapedAsync(s => s.Value("vmess_registry_users", ("state", "enabled")) >= 1
            && s.Value("vmess_registry_sync_lag_seconds") >= 0, "the user counted and the lag measured");
    }

    [Fact]
    public async Task Scrape_should_report_a_user_suspended_for_its_quota_under_its_own_state()
    {
        var id = VMessUserId.NewRandom();
        await node.Registry.Ask<UserCommandResult>(new UpsertUser(id, 0, 0, "over-quota@example.com"), Timeout);
        await node.Registry.Ask<UserCommandResult>(new SetUserLimits("over-quota@example.com", new UserLimits(QuotaBytes: 1)), Timeout);

        await node.Registry.Ask<AddTrafficResult>(new AddTraffic("over-quota@example.com", 1, 1, 1, 0), Timeout);

        await ScrapedAsync(s => s.Value("vmess_registry_users", ("state", "suspended")) >= 1, "the user counted as suspended");
    }

    [Fact]
    public async Task Scrape_should_report_this_node_as_the_one_member_up()
    {
        await ScrapedAsync(s => s.Value("vmess_cluster_members_up") == 1, "one member up");
    }

    [Fact]
    public async Task Scrape_should_report_the_auth_id_exchange_with_no_peers()
    {
        var scrape = await node.ScrapeAsync();

        Assert.Equal(0, scrape.Value("vmess_auth_id_exchange_peers"));
        Assert.NotNull(scrape.Value("vmess_auth_id_exchange_ids_total", ("direction", "received")));
        Assert.NotNull(scrape.Value("vmess_auth_id_exchange_batches_total", ("direction", "sent")));
    }

    [Fact]
    public async Task Scrape_should_not_report_traffic_until_a_ledger_is_wired()
    {
        var scrape = await node.ScrapeAsync();

        Assert.DoesNotContain("vmess_traffic_bytes", scrape.Text, StringComparison.Ordinal);
    }

    private async Task ScrapedAsync(Func<PrometheusScrape, bool> condition, string what)
    {
        PrometheusScrape? last = null;
        try
        {
            await Eventually.TrueAsync(async () => condition(last = await node.ScrapeAsync()), Timeout, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last scrape:\n{last?.Text}", e);
        }
    }
}
