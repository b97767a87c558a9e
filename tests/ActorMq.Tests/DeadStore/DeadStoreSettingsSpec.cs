using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using Akka.Configuration;
using Xunit;

namespace ActorMq.Tests.DeadStore;

public sealed class DeadStoreSettingsSpec
{
    private static DeadStoreSettings FromHocon(string hocon) =>
        DeadStoreSettings.Create(ConfigurationFactory.ParseString(hocon).WithFallback(ActorMqClient.DefaultConfig()));

    [Fact]
    public void Settings_must_take_their_defaults_from_reference_conf()
    {
        var settings = DeadStoreSettings.Create(ActorMqClient.DefaultConfig());

        Assert.Equal("sqlite", settings.Provider);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.ClaimTimeout);
        Assert.Equal(new SqliteStoreSettings("actormq-dead.db", TimeSpan.FromSeconds(5), SqliteSynchronous.Full), settings.Sqlite);
        Assert.Equal(new PostgreSqlStoreSettings("", "actormq", TimeSpan.FromSeconds(30)), settings.PostgreSql);
    }

    [Fact]
    public void Settings_must_read_every_key_from_the_application_config()
    {
        var settings = FromHocon("""
            actormq.dead-store {
              provider = postgresql
              claim-timeout = 90s
              sqlite { path = "/var/lib/shop/dead.db", busy-timeout = 250ms, synchronous = normal }
              postgresql { connection-string = "Host=db;Database=shop", schema = "", command-timeout = 2m }
            }
            """);

        Assert.Equal(
            new DeadStoreSettings(
                "postgresql",
                TimeSpan.FromSeconds(90),
                new SqliteStoreSettings("/var/lib/shop/dead.db", TimeSpan.FromMilliseconds(250), SqliteSynchronous.Normal),
                new PostgreSqlStoreSettings("Host=db;Database=shop", "", TimeSpan.FromMinutes(2))),
            settings);
    }

    [Theory]
    [InlineData("provider = mysql", "actormq.dead-store.provider", "sqlite, postgresql")]
    [InlineData("provider = postgresql", "actormq.dead-store.postgresql.connection-string", "non-empty")]
    [InlineData("claim-timeout = 0s", "actormq.dead-store.claim-timeout", "> 0")]
    [InlineData("claim-timeout = soon", "actormq.dead-store.claim-timeout", "soon")]
    [InlineData("sqlite.path = \"\"", "actormq.dead-store.sqlite.path", "non-empty")]
    [InlineData("sqlite.busy-timeout = -1s", "actormq.dead-store.sqlite.busy-timeout", ">= 0")]
    [InlineData("sqlite.synchronous = off", "actormq.dead-store.sqlite.synchronous", "full, normal")]
    [InlineData("postgresql.schema = \"drop table\"", "actormq.dead-store.postgresql.schema", "identifier")]
    [InlineData("postgresql.command-timeout = 10ms", "actormq.dead-store.postgresql.command-timeout", ">= 1s")]
    [InlineData("sqlite = 5", "actormq.dead-store.sqlite.path", "actormq.dead-store.sqlite.path")]
    public void Settings_must_refuse_a_bad_value_naming_its_path(string setting, string path, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => FromHocon($"actormq.dead-store {{\n  {setting}\n}}"));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Settings_error_must_say_which_value_was_found()
    {
        var error = Assert.Throws<ConfigurationException>(() => FromHocon("# application.conf\nactormq.dead-store {\n  provider = mongodb\n}"));

        Assert.Contains("found 'mongodb'", error.Message);
    }

    [Fact]
    public async Task Factory_must_create_the_store_the_settings_name()
    {
        var directory = Directory.CreateTempSubdirectory("actormq-factory-").FullName;
        try
        {
            var settings = FromHocon($"actormq.dead-store.sqlite.path = \"{Path.Combine(directory, "dead.db")}\"");
            var factory = new DeadLetterStoreFactory([new SqliteDeadLetterStoreProvider()]);

            await using var store = factory.Create(settings);
            await store.InitializeAsync();

            var sqlite = Assert.IsType<SqliteDeadLetterStore>(store);
            Assert.Equal(Path.Combine(directory, "dead.db"), sqlite.FilePath);
            Assert.True(File.Exists(sqlite.FilePath));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Factory_must_say_which_provider_is_missing_and_which_are_registered()
    {
        var settings = FromHocon("actormq.dead-store { provider = postgresql, postgresql.connection-string = \"Host=db\" }");
        var factory = new DeadLetterStoreFactory([new SqliteDeadLetterStoreProvider()]);

        var error = Assert.Throws<ConfigurationException>(() => factory.Create(settings));

        Assert.Equal("actormq.dead-store.provider", error.Path);
        Assert.Contains("registered: sqlite", error.Message);
        Assert.Contains("ActorMq.DeadStore.PostgreSql", error.Message);
    }

    [Fact]
    public void Factory_must_refuse_two_providers_of_one_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new DeadLetterStoreFactory([new SqliteDeadLetterStoreProvider(), new SqliteDeadLetterStoreProvider()]));
        Assert.Contains("'sqlite'", error.Message);
    }
}
