using Microsoft.Extensions.Configuration;
using VMess.Cluster.Host.Hosting;
using VMess.Cluster.Host.Tests.Support;

namespace VMess.Cluster.Host.Tests.Hosting;

/// <summary>Section <c>VMess:Cluster</c>: defaults, the cluster file, and environment variables over it.</summary>
public sealed class ClusterMembershipSettingsTests
{
    [Fact]
    public void From_should_give_a_self_seeded_node_on_loopback_and_any_port_when_nothing_is_set()
    {
        var settings = ClusterMembershipSettings.From(new ConfigurationBuilder().Build());

        Assert.Equal(("127.0.0.1", 0, null as string), (settings.Hostname, settings.Port, settings.PublicHostname));
        Assert.Empty(settings.Seeds);
        Assert.Empty(settings.Roles);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.ShutdownDrainDeadline);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), (settings.HeartbeatInterval, settings.AcceptableHeartbeatPause));
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void From_should_read_the_local_three_node_cluster_file()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(RepositoryRoot.File("cluster-config/local-3-nodes/node2.json")).Build();

        var settings = ClusterMembershipSettings.From(configuration);

        Assert.Equal(("127.0.0.1", 4054), (settings.Hostname, settings.Port));
        Assert.Equal(["akka.tcp://vmess-cluster@127.0.0.1:4053", "akka.tcp://vmess-cluster@127.0.0.1:4054", "akka.tcp://vmess-cluster@127.0.0.1:4055"],
            settings.SeedAddresses());
        Assert.Equal(["relay"], settings.Roles);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void From_should_let_environment_variables_override_each_field_of_the_file()
    {
        // A prefix of its own, so the test sees only its variables and never disturbs another test's.
        var prefix = $"VMESS_TEST_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["VMess__Cluster__Hostname"] = "0.0.0.0",
            ["VMess__Cluster__PublicHostname"] = "node7",
            ["VMess__Cluster__Port"] = "5000",
            ["VMess__Cluster__Seeds__0"] = "node7:5000",
            ["VMess__Cluster__ShutdownDrainDeadline"] = "00:00:05",
        };
        try
        {
            foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(prefix + name, value);
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(RepositoryRoot.File("cluster-config/local-3-nodes/node1.json"))
                .AddEnvironmentVariables(prefix)
                .Build();

            var settings = ClusterMembershipSettings.From(configuration);

            Assert.Equal(("0.0.0.0", "node7", 5000), (settings.Hostname, settings.PublicHostname, settings.Port));
            // Index 0 replaced; the file's other seeds stay.
            Assert.Equal(["node7:5000", "127.0.0.1:4054", "127.0.0.1:4055"], settings.Seeds);
            Assert.Equal(TimeSpan.FromSeconds(5), settings.ShutdownDrainDeadline);
            Assert.Equal(["relay"], settings.Roles);
        }
        finally
        {
            foreach (var name in variables.Keys) Environment.SetEnvironmentVariable(prefix + name, null);
        }
    }

    [Fact]
    public void SeedAddresses_should_keep_a_full_akka_address_as_it_is()
    {
        var settings = new ClusterMembershipSettings { Port = 4053, Seeds = ["akka.tcp://vmess-cluster@10.0.0.1:4053", "node2:4053"] };

        Assert.Equal(["akka.tcp://vmess-cluster@10.0.0.1:4053", "akka.tcp://vmess-cluster@node2:4053"], settings.SeedAddresses());
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void Validate_should_name_every_bad_setting_at_once()
    {
        var settings = new ClusterMembershipSettings
        {
            Hostname = " ",
            Port = 70000,
            Seeds = ["node1", "akka.tcp://other-system@node2:4053", "node3:0"],
            ShutdownDrainDeadline = TimeSpan.FromSeconds(-1),
            AcceptableHeartbeatPause = TimeSpan.FromSeconds(1),
        };

        var errors = settings.Validate();

        Assert.Collection(errors,
            e => Assert.Contains("Hostname is empty", e),
            e => Assert.Contains("Port 70000", e),
            e => Assert.Contains("Seeds:0 'node1'", e),
            e => Assert.Contains("Seeds:1 'akka.tcp://other-system@node2:4053'", e),
            e => Assert.Contains("Seeds:2 'node3:0'", e),
            e => Assert.Contains("ShutdownDrainDeadline", e),
            e => Assert.Contains("AcceptableHeartbeatPause", e));
    }

    [Fact]
    public void Validate_should_refuse_seeds_with_any_free_port()
    {
        var settings = new ClusterMembershipSettings { Seeds = ["127.0.0.1:4053"] };

        Assert.Contains(settings.Validate(), e => e.Contains("Port is 0", StringComparison.Ordinal));
    }
}
