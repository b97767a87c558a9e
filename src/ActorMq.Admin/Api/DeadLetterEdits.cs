using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ActorMq.DeadStore;
using ActorMq.Diagnostics;

namespace ActorMq.Admin.Api;

/// <summary>Reads an operator's edit of a dead letter and says, for the audit log, what it changes.</summary>
internal static class DeadLetterEdits
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The edit; a bad field is a <see cref="BadRequestException"/> naming it.</summary>
    public static DeadLetterEdit Parse(EditModel model)
    {
        if (model.Body is not null && model.BodyBase64 is not null)
            throw new BadRequestException("body, bodyBase64: give at most one of the two (text or base64 bytes)");
        ReadOnlyMemory<byte>? body = null;
        if (model.Body is { } text)
        {
            try
            {
                body = StrictUtf8.GetBytes(text);
            }
            catch (EncoderFallbackException e)
            {
                throw new BadRequestException($"body: not valid text ({e.Message}); send the bytes as bodyBase64");
            }
        }
        else if (model.BodyBase64 is { } base64)
        {
            try
            {
                body = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw new BadRequestException("bodyBase64: not base64");
            }
        }
        IReadOnlyDictionary<string, object?>? headers = null;
        if (model.Headers is { } json)
        {
            // An object, or the object's JSON as a string (the page sends the text as typed, so no digit of an int64 is lost to
            // JavaScript numbers on the way).
            var tagged = json.ValueKind switch
            {
                System.Text.Json.JsonValueKind.Object => json.GetRawText(),
                System.Text.Json.JsonValueKind.String => json.GetString()!,
                _ => throw new BadRequestException(
                    $"headers: expected an object of tagged values ({{\"tenant\": {{\"string\": \"acme\"}}}}) or its JSON text, got {json.ValueKind}"),
            };
            try
            {
                headers = DeadLetterJson.DeserializeHeaders(tagged);
            }
            catch (FormatException e)
            {
                throw new BadRequestException($"headers: {UntrustedText.OneLine(e.Message, 300)}");
            }
        }
        if (body is null && headers is null) throw new BadRequestException("nothing to change: give body, bodyBase64 or headers");
        return new DeadLetterEdit { Body = body, Headers = headers };
    }

    /// <summary>What the edit changes: body sizes and digests, and the names of changed, added and removed headers (never content).</summary>
    public static string Describe(DeadLetter original, DeadLetterEdit edit)
    {
        var parts = new List<string>();
        if (edit.Body is { } body)
        {
            parts.Add(body.Span.SequenceEqual(original.Body.Span)
                ? "the body unchanged"
                : $"body {original.Body.Length} → {body.Length} bytes (sha256 {Digest(original.Body.Span)} → {Digest(body.Span)})");
        }
        if (edit.Headers is { } headers)
        {
            var before = DeadLetterJson.SerializeHeaders(original.Headers.OrderBy(h => h.Key, StringComparer.Ordinal));
            var changed = headers.Keys.Where(k => original.Headers.ContainsKey(k)
                && DeadLetterJson.SerializeHeaders([new(k, original.Headers[k])]) != DeadLetterJson.SerializeHeaders([new(k, headers[k])])).ToList();
            var added = headers.Keys.Where(k => !original.Headers.ContainsKey(k)).ToList();
            var removed = original.Headers.Keys.Where(k => !headers.ContainsKey(k)).ToList();
            parts.Add(changed.Count + added.Count + removed.Count == 0 && before.Length > 0
                ? "the headers unchanged"
                : $"headers changed [{Names(changed)}], added [{Names(added)}], removed [{Names(removed)}]");
        }
        return string.Join("; ", parts);
    }

    private static string Names(IEnumerable<string> names) =>
        string.Join(", ", names.Order(StringComparer.Ordinal).Select(n => UntrustedText.OneLine(n, 100)));

    private static string Digest(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexStringLower(SHA256.HashData(bytes))[..16].ToString(CultureInfo.InvariantCulture);
}
