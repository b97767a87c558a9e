using System.Text.Json;
using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Tests.Cli.Commands;

public sealed class ConfigCommandsSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-cli-config.").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Render_must_print_the_file_over_reference_conf()
    {
        var file = Write("app.conf", "actormq {\n  consumers.orders.prefetch = 7\n}\n");

        var result = await CliRunner.RunAsync("config", "render", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"prefetch\s*:\s*7", result.Output);
        Assert.Matches(@"attempt-header\s*:\s*""?retry-count""?", result.Output);
    }

    [Fact]
    public async Task Render_must_give_indented_JSON_of_the_resolved_configuration()
    {
        var file = Write("app.conf", "base = 40\nactormq.consumers.orders.prefetch = ${base}\n");

        var result = await CliRunner.RunAsync("config", "render", "--json", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\n  \"actormq\": {", result.Output);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(40, json.RootElement.GetProperty("actormq").GetProperty("consumers").GetProperty("orders").GetProperty("prefetch").GetInt32());
        Assert.Equal("sqlite", json.RootElement.GetProperty("actormq").GetProperty("dead-store").GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Render_must_refuse_the_origins_option_Akka_HOCON_does_not_track_origins()
    {
        var result = await CliRunner.RunAsync("config", "render", "--origins", "x.conf");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unrecognized", result.Error);
    }

    [Fact]
    public async Task Check_must_accept_a_valid_file_and_summarise_it()
    {
        var file = Write("app.conf", "actormq.consumers.orders { queue = shop.orders }\nactormq.connection.uris = [\"amqp://u:secret@rabbit:5672/shop\"]\n");

        var result = await CliRunner.RunAsync("config", "check", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{file}: OK", result.Output);
        Assert.Contains("consumers  orders (queue shop.orders)", result.Output);
        Assert.DoesNotContain("secret", result.Output);
    }

    [Fact]
    public async Task Check_must_name_the_path_the_value_and_what_was_expected()
    {
        var file = Write("bad.conf", "actormq {\n  consumers {\n    orders { prefetch = -3 }\n  }\n}\n");

        var result = await CliRunner.RunAsync("config", "check", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("actormq.consumers.orders.prefetch", result.Error);
        Assert.Contains("found '-3'", result.Error);
        Assert.Contains("expected an integer between 1 and 65535", result.Error);
    }

    [Fact]
    public async Task Check_must_report_a_bad_dead_store_setting_with_its_value()
    {
        var file = Write("bad.conf", "\nactormq.dead-store.provider = mongodb\n");

        var result = await CliRunner.RunAsync("config", "check", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("actormq.dead-store.provider: expected one of sqlite, postgresql, found 'mongodb'", result.Error);
    }

    [Fact]
    public async Task Check_must_report_a_syntax_error_with_line_and_column()
    {
        var file = Write("broken.conf", "actormq {\n  consumers = [\n}\n");

        var result = await CliRunner.RunAsync("config", "check", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"file '{file}' is not valid HOCON: line 3, column 1: '}}' closes the '[' opened at line 2, column 15", result.Error);
    }

    [Fact]
    public async Task Check_must_name_a_missing_file()
    {
        var result = await CliRunner.RunAsync("config", "check", Path.Combine(_directory, "nope.conf"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.conf: configuration file not found", result.Error);
    }

    [Fact]
    public async Task Render_must_mask_every_secret_unless_show_secrets()
    {
        var file = Write("secrets.conf", """
            actormq {
              connection {
                uris = ["amqp://orders:uri-secret@rabbit:5672/shop", "amqp://rabbit-2/"]
                password = conn-secret
              }
              dead-store.postgresql.connection-string = "Host=db;Username=orders;Password=pg-secret;Database=shop"
              admin {
                api-key = key-secret
                basic-auth { user = ops, password = basic-secret }
              }
            }
            """);
        var masked = await ActorMq.TestSupport.ActorMqBinary.RunAsync(["config", "render", file], null, null);
        var json = await ActorMq.TestSupport.ActorMqBinary.RunAsync(["config", "render", "--json", file], null, null);
        var shown = await ActorMq.TestSupport.ActorMqBinary.RunAsync(["config", "render", "--show-secrets", file], null, null);

        Assert.Equal((0, 0, 0), (masked.ExitCode, json.ExitCode, shown.ExitCode));
        foreach (var secret in new[] { "uri-secret", "conn-secret", "pg-secret", "key-secret", "basic-secret" })
        {
            Assert.DoesNotContain(secret, masked.Output);
            Assert.DoesNotContain(secret, json.Output);
            Assert.Contains(secret, shown.Output);
        }
        Assert.Contains("amqp://orders:***@rabbit:5672/shop", masked.Output);
        Assert.Contains("amqp://rabbit-2/", masked.Output);
        Assert.Contains("Password=***;Database=shop", masked.Output);
        Assert.Matches("user : \"?ops\"?", masked.Output);
        using var parsed = JsonDocument.Parse(json.Output);
        Assert.Equal("***", parsed.RootElement.GetProperty("actormq").GetProperty("admin").GetProperty("api-key").GetString());
    }
}
