using Microsoft.Extensions.Configuration;
using VMess.Cluster.Host.Hosting;

namespace VMess.Cluster.Host.Tests.Hosting;

/// <summary>Section <c>VMess:Registry</c>: defaults, overrides, every error, and the HOCON it gives Akka.</summary>
public sealed class RegistryHostSettingsTests
{
    [Fact]
    public void From_should_give_the_in_memory_journal_8_MB_frames_and_fast_ddata_timings_when_nothing_is_set()
    {
        var settings = RegistryHostSettings.From(new ConfigurationBuilder().Build());

        Assert.Equal((128, 100, 8_000_000), (settings.BucketCount, settings.ShardCount, settings.MaximumFrameSize));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100)), (settings.GossipInterval, settings.NotifySubscribersInterval));
        Assert.Equal(RegistryHostSettings.InMemoryJournal, settings.JournalPlugin);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void From_should_read_each_setting_from_the_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VMess:Registry:BucketCount"] = "64",
            ["VMess:Registry:MaximumFrameSize"] = "16000000",
            ["VMess:Registry:JournalPlugin"] = "akka.persistence.journal.sql",
        }).Build();

        var settings = RegistryHostSettings.From(configuration);

        Assert.Equal((64, 16_000_000, "akka.persistence.journal.sql"), (settings.BucketCount, settings.MaximumFrameSize, settings.JournalPlugin));
        Assert.Contains("journal.plugin = \"akka.persistence.journal.sql\"", settings.PersistenceHocon(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_name_every_bad_setting_at_once()
    {
        var settings = new RegistryHostSettings
        {
            BucketCount = 1, MaximumFrameSize = 1000, GossipInterval = TimeSpan.Zero, NotifySubscribersInterval = TimeSpan.Zero,
            SeedTimeoutPerUser = TimeSpan.Zero, JournalPlugin = " ", AuthIdBatchWindow = TimeSpan.FromMinutes(1),
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
        var hocon = new RegistryHostSettings().PersistenceHocon();

        Assert.Contains("gossip-interval = 1000ms", hocon, StringComparison.Ordinal);
        Assert.Contains("notify-subscribers-interval = 100ms", hocon, StringComparison.Ordinal);
    }
}
