using VMess.Registry.Persistence;

namespace VMess.Registry.Tests.Persistence;

public sealed class RegistryPersistenceSettingsTests
{
    [Fact]
    public void Default_should_be_a_sqlite_file_next_to_the_config()
    {
        Assert.Equal(RegistryJournal.Sqlite, RegistryPersistenceSettings.Default.Journal);
        Assert.Equal("/etc/vmess/vmess-registry.db", RegistryPersistenceSettings.Default.ResolveSqlitePath("/etc/vmess"));
    }

    [Fact]
    public void ResolveSqlitePath_should_keep_an_absolute_path()
    {
        var settings = new RegistryPersistenceSettings { SqlitePath = "/var/lib/vmess/users.db" };
        Assert.Equal("/var/lib/vmess/users.db", settings.ResolveSqlitePath("/etc/vmess"));
    }

    [Fact]
    public void Validate_should_require_a_connection_string_for_PostgreSql()
    {
        var errors = new RegistryPersistenceSettings { Journal = RegistryJournal.PostgreSql }.Validate();
        Assert.Equal(["PostgreSqlConnectionString is required when Journal is PostgreSql."], errors);
    }

    [Fact]
    public void Validate_should_reject_an_empty_sqlite_path_and_an_unknown_journal()
    {
        Assert.Single(new RegistryPersistenceSettings { SqlitePath = " " }.Validate());
        Assert.Single(new RegistryPersistenceSettings { Journal = (RegistryJournal)7 }.Validate());
    }

    [Fact]
    public void ToConfig_should_throw_with_every_error_when_invalid()
    {
        var error = Assert.Throws<ArgumentException>(() => new RegistryPersistenceSettings { Journal = RegistryJournal.PostgreSql }.ToConfig("/etc/vmess"));
        Assert.Contains("PostgreSqlConnectionString", error.Message);
    }

    [Fact]
    public void ToConfig_should_select_the_named_journal()
    {
        var settings = new RegistryPersistenceSettings { Journal = RegistryJournal.PostgreSql, PostgreSqlConnectionString = "Host=db" };
        Assert.Equal("PostgreSQL.15", settings.ToConfig("/etc/vmess").GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("akka.persistence.journal.inmem",
            new RegistryPersistenceSettings { Journal = RegistryJournal.InMemory }.ToConfig("/etc/vmess").GetString("akka.persistence.journal.plugin"));
    }

    [Fact]
    public void Read_model_should_be_kept_by_default_in_a_file_per_cluster_port_next_to_the_config()
    {
        Assert.Equal("/etc/vmess/vmess-users-4053.db", RegistryPersistenceSettings.Default.ResolveReadModelPath("/etc/vmess", 4053));
    }

    [Fact]
    public void Read_model_should_stay_in_memory_when_turned_off_or_when_the_journal_keeps_nothing()
    {
        Assert.Null(new RegistryPersistenceSettings { DurableReadModel = false }.ResolveReadModelPath("/etc/vmess", 4053));
        Assert.Null(new RegistryPersistenceSettings { Journal = RegistryJournal.InMemory }.ResolveReadModelPath("/etc/vmess", 4053));
    }

    [Fact]
    public void Read_model_path_should_resolve_against_the_config_folder_and_not_be_blank()
    {
        Assert.Equal("/var/lib/vmess/users.db", new RegistryPersistenceSettings { ReadModelPath = "../../var/lib/vmess/users.db" }.ResolveReadModelPath("/etc/vmess", 0));
        Assert.Single(new RegistryPersistenceSettings { ReadModelPath = " " }.Validate());
    }
}
