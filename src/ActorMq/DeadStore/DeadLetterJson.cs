using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RabbitMQ.Client;

namespace ActorMq.DeadStore;

/// <summary>
/// The JSON form in which dead-letter headers and properties are stored. Header values are tagged
/// with their AMQP type so a replay republishes exactly the types that arrived:
/// <c>{"retry-count": {"int32": 3}, "error-type": {"bytes": "System.TimeoutException"}}</c>.
/// </summary>
/// <remarks>
/// Tags: <c>string</c>; <c>bytes</c> (a <c>byte[]</c> holding valid UTF-8 without NUL, kept as text so
/// operators can read it — RabbitMQ.Client 7 delivers every string header this way) or
/// <c>bytes-base64</c>; <c>bool</c>; <c>int8</c>, <c>uint8</c>, <c>int16</c>, <c>uint16</c>,
/// <c>int32</c>, <c>uint32</c>, <c>int64</c>, <c>uint64</c>; <c>float32</c>, <c>float64</c> (a
/// number, or the string <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>); <c>decimal</c> (invariant
/// string, exact); <c>timestamp</c> (an <see cref="AmqpTimestamp"/>, Unix seconds); <c>binary</c>
/// (a <see cref="BinaryTableValue"/>, base64); <c>table</c> (an object of tagged values);
/// <c>array</c> (an array of tagged values). A <see langword="null"/> value is JSON <c>null</c>.
/// </remarks>
public static class DeadLetterJson
{
    /// <summary>Stored, never embedded in HTML: keep non-ASCII text and quotes readable instead of \uXXXX-escaped.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>An empty, read-only header table.</summary>
    public static IReadOnlyDictionary<string, object?> NoHeaders { get; } = new Dictionary<string, object?>();

    /// <summary>Encodes AMQP headers as tagged JSON.</summary>
    /// <exception cref="ArgumentException">A value has a type AMQP cannot carry; the message names the header.</exception>
    public static string SerializeHeaders(IEnumerable<KeyValuePair<string, object?>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in headers)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value, name);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes headers written by <see cref="SerializeHeaders"/>, each value with its original type.</summary>
    /// <exception cref="FormatException">The JSON is not in this form; the message names the header.</exception>
    public static Dictionary<string, object?> DeserializeHeaders(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return WithReader(json, "headers", static (ref Utf8JsonReader reader) =>
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new FormatException("dead-letter headers: expected a JSON object");
            return ReadTable(ref reader, "");
        });
    }

    /// <summary>Encodes properties as a JSON object holding only the properties that are set.</summary>
    public static string SerializeProperties(DeadLetterProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            WriteIfSet(writer, "content_type", properties.ContentType);
            WriteIfSet(writer, "content_encoding", properties.ContentEncoding);
            if (properties.DeliveryMode is { } mode) writer.WriteNumber("delivery_mode", mode);
            if (properties.Priority is { } priority) writer.WriteNumber("priority", priority);
            WriteIfSet(writer, "correlation_id", properties.CorrelationId);
            WriteIfSet(writer, "reply_to", properties.ReplyTo);
            WriteIfSet(writer, "expiration", properties.Expiration);
            WriteIfSet(writer, "message_id", properties.MessageId);
            if (properties.Timestamp is { } timestamp) writer.WriteNumber("timestamp", timestamp);
            WriteIfSet(writer, "type", properties.Type);
            WriteIfSet(writer, "user_id", properties.UserId);
            WriteIfSet(writer, "app_id", properties.AppId);
            WriteIfSet(writer, "cluster_id", properties.ClusterId);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes properties written by <see cref="SerializeProperties"/>.</summary>
    /// <exception cref="FormatException">The JSON is not in this form; the message names the property.</exception>
    public static DeadLetterProperties DeserializeProperties(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return WithReader(json, "properties", static (ref Utf8JsonReader reader) =>
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new FormatException("dead-letter properties: expected a JSON object");
            var properties = DeadLetterProperties.None;
            try
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    properties = name switch
                    {
                        "content_type" => properties with { ContentType = reader.GetString() },
                        "content_encoding" => properties with { ContentEncoding = reader.GetString() },
                        "delivery_mode" => properties with { DeliveryMode = reader.GetByte() },
                        "priority" => properties with { Priority = reader.GetByte() },
                        "correlation_id" => properties with { CorrelationId = reader.GetString() },
                        "reply_to" => properties with { ReplyTo = reader.GetString() },
                        "expiration" => properties with { Expiration = reader.GetString() },
                        "message_id" => properties with { MessageId = reader.GetString() },
                        "timestamp" => properties with { Timestamp = reader.GetInt64() },
                        "type" => properties with { Type = reader.GetString() },
                        "user_id" => properties with { UserId = reader.GetString() },
                        "app_id" => properties with { AppId = reader.GetString() },
                        "cluster_id" => properties with { ClusterId = reader.GetString() },
                        _ => Skip(ref reader, properties),
                    };
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new FormatException($"dead-letter properties: {e.Message}", e);
            }
            return properties;
        });

        static DeadLetterProperties Skip(ref Utf8JsonReader reader, DeadLetterProperties properties)
        {
            reader.Skip();
            return properties;
        }
    }

    private delegate T ReaderFunc<out T>(ref Utf8JsonReader reader);

    /// <summary>Runs <paramref name="read"/> over the UTF-8 of <paramref name="json"/> (a pooled buffer), turning JSON errors into a FormatException.</summary>
    private static T WithReader<T>(string json, string what, ReaderFunc<T> read)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            var reader = new Utf8JsonReader(rented.AsSpan(0, length));
            return read(ref reader);
        }
        catch (JsonException e)
        {
            throw new FormatException($"dead-letter {what}: not valid JSON: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, string path)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        switch (value)
        {
            case string s: writer.WriteString("string", s); break;
            case byte[] bytes: WriteBytes(writer, bytes); break;
            case bool b: writer.WriteBoolean("bool", b); break;
            case sbyte i8: writer.WriteNumber("int8", i8); break;
            case byte u8: writer.WriteNumber("uint8", u8); break;
            case short i16: writer.WriteNumber("int16", i16); break;
            case ushort u16: writer.WriteNumber("uint16", u16); break;
            case int i32: writer.WriteNumber("int32", i32); break;
            case uint u32: writer.WriteNumber("uint32", u32); break;
            case long i64: writer.WriteNumber("int64", i64); break;
            case ulong u64: writer.WriteNumber("uint64", u64); break;
            case float f32 when float.IsFinite(f32): writer.WriteNumber("float32", f32); break;
            case float f32: writer.WriteString("float32", f32.ToString(CultureInfo.InvariantCulture)); break;
            case double f64 when double.IsFinite(f64): writer.WriteNumber("float64", f64); break;
            case double f64: writer.WriteString("float64", f64.ToString(CultureInfo.InvariantCulture)); break;
            case decimal d: writer.WriteString("decimal", d.ToString(CultureInfo.InvariantCulture)); break;
            case AmqpTimestamp t: writer.WriteNumber("timestamp", t.UnixTime); break;
            case BinaryTableValue binary: writer.WriteBase64String("binary", binary.Bytes); break;
            case IDictionary<string, object?> table:
                writer.WriteStartObject("table");
                foreach (var (name, item) in table)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, item, $"{path}.{name}");
                }
                writer.WriteEndObject();
                break;
            case IDictionary table:
                writer.WriteStartObject("table");
                foreach (DictionaryEntry entry in table)
                {
                    var name = entry.Key.ToString() ?? "";
                    writer.WritePropertyName(name);
                    WriteValue(writer, entry.Value, $"{path}.{name}");
                }
                writer.WriteEndObject();
                break;
            case IList list:
                writer.WriteStartArray("array");
                for (var i = 0; i < list.Count; i++) WriteValue(writer, list[i], $"{path}[{i}]");
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException(
                    $"header '{path}' has type {value.GetType().FullName}, which an AMQP header cannot carry", nameof(value));
        }
        writer.WriteEndObject();
    }

    private static void WriteBytes(Utf8JsonWriter writer, byte[] bytes)
    {
        if (Array.IndexOf(bytes, (byte)0) < 0 && TryDecodeUtf8(bytes, out var text))
            writer.WriteString("bytes", text);
        else
            writer.WriteBase64String("bytes-base64", bytes);
    }

    private static bool TryDecodeUtf8(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>Reads the properties of an object (the reader is on its StartObject) up to its EndObject.</summary>
    private static Dictionary<string, object?> ReadTable(ref Utf8JsonReader reader, string path)
    {
        var table = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            table[name] = ReadValue(ref reader, path, name);
        }
        return table;
    }

    /// <summary>Reads one tagged value (the reader is on its first token) and leaves the reader on its last token.</summary>
    private static object? ReadValue(ref Utf8JsonReader reader, string parent, string name)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new FormatException($"dead-letter header '{Join(parent, name)}': expected null or a tagged value such as {{\"int32\": 1}}, got {reader.TokenType}");
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            throw new FormatException($"dead-letter header '{Join(parent, name)}': the tagged value has no tag");
        var tag = reader.GetString()!;
        reader.Read();
        object? value = tag switch
        {
            "table" when reader.TokenType == JsonTokenType.StartObject => ReadTable(ref reader, Join(parent, name)),
            "array" when reader.TokenType == JsonTokenType.StartArray => ReadArray(ref reader, Join(parent, name)),
            _ => ReadScalar(ref reader, tag, parent, name),
        };
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndObject)
            throw new FormatException($"dead-letter header '{Join(parent, name)}': a tagged value has exactly one tag, found '{tag}' and '{reader.GetString()}'");
        return value;
    }

    private static List<object?> ReadArray(ref Utf8JsonReader reader, string path)
    {
        var list = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add(ReadValue(ref reader, "", $"{path}[{list.Count}]"));
        return list;
    }

    private static object? ReadScalar(ref Utf8JsonReader reader, string tag, string parent, string name)
    {
        try
        {
            return tag switch
            {
                "string" => reader.GetString(),
                "bytes" => Encoding.UTF8.GetBytes(reader.GetString()!),
                "bytes-base64" => reader.GetBytesFromBase64(),
                "bool" => reader.GetBoolean(),
                "int8" => reader.GetSByte(),
                "uint8" => reader.GetByte(),
                "int16" => reader.GetInt16(),
                "uint16" => reader.GetUInt16(),
                "int32" => reader.GetInt32(),
                "uint32" => reader.GetUInt32(),
                "int64" => reader.GetInt64(),
                "uint64" => reader.GetUInt64(),
                "float32" => reader.TokenType == JsonTokenType.String
                    ? float.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : reader.GetSingle(),
                "float64" => reader.TokenType == JsonTokenType.String
                    ? double.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : reader.GetDouble(),
                "decimal" => decimal.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
                "timestamp" => new AmqpTimestamp(reader.GetInt64()),
                "binary" => new BinaryTableValue(reader.GetBytesFromBase64()),
                _ => throw new FormatException("unknown type tag (known: string, bytes, bytes-base64, bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64, decimal, timestamp, binary, table, array)"),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            var raw = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                ? reader.TokenType.ToString()
                : Encoding.UTF8.GetString(reader.ValueSpan);
            throw new FormatException($"dead-letter header '{Join(parent, name)}': bad '{tag}' value {raw}: {e.Message}", e);
        }
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";
}
