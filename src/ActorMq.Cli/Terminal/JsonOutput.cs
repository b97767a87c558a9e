using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ActorMq.Cli.Terminal;

/// <summary>Machine output (<c>--json</c>): indented JSON, snake_case names, written in one piece.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON <paramref name="write"/> produces, as text ending in a newline.</summary>
    public static string Render(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options)) write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>A string property, or null when <paramref name="value"/> is null.</summary>
    public static void StringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    /// <summary>An instant property in ISO 8601 UTC, or null.</summary>
    public static void TimeOrNull(this Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time) writer.WriteString(name, time.ToUniversalTime());
        else writer.WriteNull(name);
    }
}
