using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ActorChain.Cli.Load;

/// <summary>An answer of etcd's range call: the member's revision and the value, if the key exists.</summary>
internal readonly record struct EtcdRange(long Revision, long Count, byte[]? Value);

/// <summary>
/// etcd 3.4's JSON gateway (grpc-gateway over the v3 KV API): keys and values are base64 strings, 64-bit
/// numbers are JSON strings, errors are <c>{error, code, message}</c>.
/// </summary>
internal static class EtcdKv
{
    public const string PutPath = "/v3/kv/put";
    public const string RangePath = "/v3/kv/range";

    /// <summary><c>{"key": base64, "value": base64}</c>.</summary>
    public static byte[] PutBody(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + ((key.Length + value.Length) * 4 / 3));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBase64String("key", key);
            json.WriteBase64String("value", value);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>{"key": base64}</c>; <paramref name="serializable"/> asks the member that answers for its local view
    /// (no quorum round), which is what a head sample of that member wants.
    /// </summary>
    public static byte[] RangeBody(ReadOnlySpan<byte> key, bool serializable)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (key.Length * 4 / 3));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBase64String("key", key);
            if (serializable)
            {
                json.WriteBoolean("serializable", true);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The revision in a put answer's header.</summary>
    public static long ParsePut(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        return Revision(document.RootElement);
    }

    public static EtcdRange ParseRange(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        var count = root.TryGetProperty("count", out var c) ? Int64(c) : 0;
        byte[]? value = null;
        if (root.TryGetProperty("kvs", out var kvs) && kvs.ValueKind == JsonValueKind.Array && kvs.GetArrayLength() > 0)
        {
            // A stored empty value is omitted from the JSON (proto3 default), yet the key exists.
            value = kvs[0].TryGetProperty("value", out var v) ? v.GetBytesFromBase64() : [];
        }

        return new EtcdRange(Revision(root), count, value);
    }

    /// <summary>The message of an error answer, or null when <paramref name="body"/> is not one.</summary>
    public static string? ParseError(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var message = root.TryGetProperty("message", out var m) ? m.GetString() : root.TryGetProperty("error", out var e) ? e.GetString() : null;
            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : (int?)null;
            return message is null ? null : code is null ? message : $"{message} (code {code})";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> body)
    {
        var document = JsonDocument.Parse(body.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("header", out _))
        {
            var error = ParseError(body);
            document.Dispose();
            throw new FormatException(error ?? "etcd's answer has no header.");
        }

        return document;
    }

    private static long Revision(JsonElement root) =>
        root.GetProperty("header").TryGetProperty("revision", out var r) ? Int64(r) : 0;

    // grpc-gateway writes int64 as a string; accept a number too.
    private static long Int64(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture) : e.GetInt64();
}
