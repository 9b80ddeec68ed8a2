using System.Buffers.Binary;
using System.Text;
using ActorChain.Chain.Canonical;

namespace ActorChain.Chain.Ledger;

/// <summary><c>kv.put</c>: version(1) · key (u16 length + UTF-8, 1..1024 bytes) · value (i32 length + bytes).</summary>
public sealed record KvPutPayload
{
    public KvPutPayload(string key, ReadOnlyMemory<byte> value)
    {
        Key = LedgerRules.Key(key);
        if (value.Length > Entry.MaxPayloadBytes - 7 - LedgerLimits.MaxKeyBytes)
        {
            throw new ArgumentException($"A value is at most {Entry.MaxPayloadBytes - 7 - LedgerLimits.MaxKeyBytes} bytes, not {value.Length}.");
        }

        Value = value;
    }

    public string Key { get; }

    public ReadOnlyMemory<byte> Value { get; }

    public byte[] Encode()
    {
        var keyBytes = ChainLimits.Utf8.GetByteCount(Key);
        var bytes = new byte[1 + 2 + keyBytes + 4 + Value.Length];
        var writer = new CanonicalWriter(bytes);
        writer.WriteByte(PayloadCodec.CurrentVersion);
        writer.WriteText(Key, shortPrefix: false);
        writer.WriteInt32(Value.Length);
        writer.WriteBytes(Value.Span);
        return bytes;
    }

    /// <exception cref="ChainFormatException">The bytes are not a kv.put payload.</exception>
    public static KvPutPayload Decode(ReadOnlySpan<byte> payload) =>
        PayloadCodec.Decode(payload, EntryKind.KvPut, static (ref CanonicalReader reader) =>
        {
            var key = reader.ReadText(shortPrefix: false, LedgerLimits.MaxKeyBytes, "the key");
            var length = reader.ReadInt32();
            return new KvPutPayload(key, reader.ReadBytes(length, "the value").ToArray());
        });

    /// <summary>
    /// The ledger's allocation-lean path: the value is a slice of the entry's own payload (entries
    /// are immutable), the only allocation is the key string; no exception on bad input.
    /// </summary>
    internal static bool TryRead(ReadOnlyMemory<byte> payload, out string key, out ReadOnlyMemory<byte> value, out string? error)
    {
        var span = payload.Span;
        key = string.Empty;
        value = default;
        if (span.Length < 1 + 2 + 1 + 4 || span[0] != PayloadCodec.CurrentVersion)
        {
            error = span.Length == 0 || span[0] == PayloadCodec.CurrentVersion
                ? "kv.put payload: too short for a key and a value"
                : $"kv.put payload: version {span[0]} is not supported";
            return false;
        }

        int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(span[1..]);
        if (keyLength is 0 or > LedgerLimits.MaxKeyBytes || 3 + keyLength + 4 > span.Length)
        {
            error = $"kv.put payload: the key length {keyLength} is not within 1..{LedgerLimits.MaxKeyBytes} bytes or overruns the payload";
            return false;
        }

        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(span[(3 + keyLength)..]);
        if (valueLength < 0 || valueLength != span.Length - 3 - keyLength - 4)
        {
            error = $"kv.put payload: the value length {valueLength} does not match the {span.Length - 3 - keyLength - 4} bytes that follow";
            return false;
        }

        try
        {
            key = ChainLimits.Utf8.GetString(span.Slice(3, keyLength));
        }
        catch (DecoderFallbackException)
        {
            error = "kv.put payload: the key is not valid UTF-8";
            return false;
        }

        value = payload.Slice(3 + keyLength + 4, valueLength);
        error = null;
        return true;
    }

    public bool Equals(KvPutPayload? other) =>
        other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal) && Value.Span.SequenceEqual(other.Value.Span);

    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Key), Value.Length);
}

/// <summary><c>kv.delete</c>: version(1) · key (u16 length + UTF-8).</summary>
public sealed record KvDeletePayload
{
    public KvDeletePayload(string key) => Key = LedgerRules.Key(key);

    public string Key { get; }

    public byte[] Encode()
    {
        var writer = PayloadCodec.Start();
        writer.WriteText(Key, shortPrefix: false);
        return writer.ToArray();
    }

    /// <exception cref="ChainFormatException">The bytes are not a kv.delete payload.</exception>
    public static KvDeletePayload Decode(ReadOnlySpan<byte> payload) =>
        PayloadCodec.Decode(payload, EntryKind.KvDelete, static (ref CanonicalReader reader) =>
            new KvDeletePayload(reader.ReadText(shortPrefix: false, LedgerLimits.MaxKeyBytes, "the key")));
}
