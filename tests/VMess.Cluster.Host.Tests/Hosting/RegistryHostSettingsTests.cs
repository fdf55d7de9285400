using Microsoft.Extensions.Configuration;
using VMess.Cluster.Host.Hosting;
using VMess.Registry.Persistence;

namespace VMess.Cluster.Host.Tests.Hosting;

/// <summary>Section <c>VMess:Registry</c>: defaults, overrides, every error, and the HOCON it gives Akka.</summary>
public sealed class RegistryHostSettingsTests
{
    [Fact]
    public void From_should_give_a_sqlite_journal_8_MB_frames_and_fast_ddata_timings_when_nothing_is_set()
    {
        var settings = RegistryHostSettings.From(new ConfigurationBuilder().Build());

        Assert.Equal((128, 100, 8_000_000), (settings.BucketCount, settings.ShardCount, settings.MaximumFrameSize));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100)), (settings.GossipInterval, settings.NotifySubscribersInterval));
        Assert.Equal((RegistryJournal.Sqlite, "vmess-registry.db"), (settings.Persistence.Journal, settings.Persistence.SqlitePath));
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void From_should_read_each_setting_from_the_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VMess:Registry:BucketCount"] = "64",
            ["VMess:Registry:MaximumFrameSize"] = "16000000",
            ["VMess:Registry:Persistence:Journal"] = "PostgreSql",
            ["VMess:Registry:Persistence:PostgreSqlConnectionString"] = "Host=db;Database=vmess;Username=vmess;Password=secret",
        }).Build();

        var settings = RegistryHostSettings.From(configuration);

        Assert.Equal((64, 16_000_000, RegistryJournal.PostgreSql), (settings.BucketCount, settings.MaximumFrameSize, settings.Persistence.Journal));
        Assert.Equal("Host=db;Database=vmess;Username=vmess;Password=secret", settings.Persistence.PostgreSqlConnectionString);
        Assert.Equal(RegistryJournal.Sqlite, RegistryPersistenceSettings.Default.Journal);
    }

    [Fact]
    public void OnlinePublishInterval_should_be_read_from_the_section_and_an_unusable_one_named_in_the_errors()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VMess:Registry:OnlinePublishInterval"] = "00:00:00.250",
        }).Build();

        Assert.Equal(TimeSpan.FromMilliseconds(250), RegistryHostSettings.From(configuration).Online.PublishInterval);
        var error = Assert.Single(new RegistryHostSettings { OnlinePublishInterval = TimeSpan.Zero }.Validate());
        Assert.StartsWith("VMess:Registry: online users: PublishInterval", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_should_name_the_postgresql_server_and_database_but_never_the_password()
    {
        var settings = new RegistryPersistenceSettings
        {
            Journal = RegistryJournal.PostgreSql, PostgreSqlConnectionString = "Host=db;Port=5433;Database=vmess;Username=vmess;Password=secret",
        };

        Assert.Equal("PostgreSQL db:5433/vmess", settings.Describe("/etc/vmess"));
    }

    [Fact]
    public void A_sqlite_journal_should_be_refused_when_the_seeds_name_more_than_one_node()
    {
        var cluster = new ClusterMembershipSettings { Port = 4053, Seeds = ["127.0.0.1:4053", "127.0.0.1:4054"] };

        var error = Assert.Single(new RegistryHostSettings().ValidateFor(cluster));

        Assert.Contains("PostgreSQL", error, StringComparison.Ordinal);
        Assert.StartsWith("VMess:Registry:Persistence:Journal", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RegistryJournal.PostgreSql, 3)]
    [InlineData(RegistryJournal.InMemory, 3)]
    [InlineData(RegistryJournal.Sqlite, 1)]
    [InlineData(RegistryJournal.Sqlite, 0)]
    public void A_journal_should_fit_the_membership_when_it_is_shared_or_the_node_is_alone(RegistryJournal journal, int seeds)
    {
        var cluster = new ClusterMembershipSettings { Port = 4053, Seeds = [.. Enumerable.Range(0, seeds).Select(i => $"127.0.0.1:{4053 + i}")] };
        var settings = new RegistryHostSettings { Persistence = new() { Journal = journal, PostgreSqlConnectionString = "Host=db" } };

        Assert.Empty(settings.ValidateFor(cluster));
    }

    [Fact]
    public void NotifySubscribersInterval_should_also_set_how_often_the_projectors_read_the_buckets()
    {
        var settings = new RegistryHostSettings { NotifySubscribersInterval = TimeSpan.FromMilliseconds(250) };

        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Registry.ProjectionInterval);
        Assert.Contains("notify-subscribers-interval = 250ms", settings.DistributedDataHocon(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_name_every_bad_setting_at_once()
    {
        var settings = new RegistryHostSettings
        {
            BucketCount = 1, MaximumFrameSize = 1000, GossipInterval = TimeSpan.Zero, NotifySubscribersInterval = TimeSpan.Zero,
            SeedTimeoutPerUser = TimeSpan.Zero, Persistence = new() { Journal = RegistryJournal.PostgreSql },
            AuthIdBatchWindow = TimeSpan.FromMinutes(1),
        };

        var errors = settings.Validate();

        Assert.Equal(7, errors.Count);
        Assert.All(errors, error => Assert.StartsWith("VMess:Registry", error, StringComparison.Ordinal));
    }

    [Fact]
    public void The_auth_id_exchange_should_batch_for_10_ms_by_default_and_take_the_window_from_the_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VMess:Registry:AuthIdBatchWindow"] = "00:00:00.025",
        }).Build();

        Assert.Equal(TimeSpan.FromMilliseconds(10), new RegistryHostSettings().AuthIdExchange.BatchWindow);
        Assert.Equal(TimeSpan.FromMilliseconds(25), RegistryHostSettings.From(configuration).AuthIdExchange.BatchWindow);
    }

    [Fact]
    public void The_hocon_should_carry_the_ddata_timings_in_milliseconds()
    {
        var hocon = new RegistryHostSettings().DistributedDataHocon();

        Assert.Contains("gossip-interval = 1000ms", hocon, StringComparison.Ordinal);
        Assert.Contains("notify-subscribers-interval = 100ms", hocon, StringComparison.Ordinal);
    }

    [Fact]
    public void Traffic_settings_should_default_to_a_report_a_second_and_read_from_the_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VMess:Registry:TrafficReportInterval"] = "00:00:02",
            ["VMess:Registry:SnapshotEvery"] = "500",
        }).Build();

        var settings = RegistryHostSettings.From(configuration);

        Assert.Equal(TimeSpan.FromSeconds(1), new RegistryHostSettings().Traffic.ReportInterval);
        Assert.Equal((TimeSpan.FromSeconds(2), 500), (settings.Traffic.ReportInterval, settings.Registry.SnapshotEvery));
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void Traffic_settings_errors_should_each_name_the_section()
    {
        var settings = new RegistryHostSettings { TrafficReportInterval = TimeSpan.Zero, TrafficResetTimeout = TimeSpan.Zero, SnapshotEvery = 0 };

        var errors = settings.Validate();

        Assert.Equal(3, errors.Count(e => e.StartsWith("VMess:Registry: ", StringComparison.Ordinal)));
        Assert.Contains(errors, e => e.Contains("ReportInterval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("SnapshotEvery", StringComparison.Ordinal));
    }
}
