using ActorChain.Chain.Canonical;

namespace ActorChain.Chain.Ledger;

internal delegate T PayloadReadFunc<out T>(ref CanonicalReader reader);

/// <summary>
/// Shared layout pieces of the ledger payloads (docs/protocol.md): every payload starts with a
/// version byte, tag lists and field maps are written in ascending ordinal order, and a decoder
/// accepts only that order, so one value has exactly one encoding.
/// </summary>
internal static class PayloadCodec
{
    public const byte CurrentVersion = 1;

    public static PayloadBuilder Start(int initialCapacity = 64)
    {
        var writer = new PayloadBuilder(initialCapacity);
        writer.WriteByte(CurrentVersion);
        return writer;
    }

    /// <summary>Reads one whole payload; every failure becomes a <see cref="ChainFormatException"/> naming the kind.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> payload, EntryKind kind, PayloadReadFunc<T> read)
    {
        var what = $"{kind.ToWireName()} payload";
        try
        {
            var reader = new CanonicalReader(payload);
            var version = reader.ReadByte();
            if (version != CurrentVersion)
            {
                CanonicalReader.Fail($"version {version} is not supported (this node reads version {CurrentVersion})");
            }

            var value = read(ref reader);
            if (reader.Remaining != 0)
            {
                CanonicalReader.Fail($"{reader.Remaining} bytes follow the payload");
            }

            return value;
        }
        catch (ChainFormatException e)
        {
            throw new ChainFormatException($"{what}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw LedgerRules.ToFormat(e, what);
        }
    }

    public static double ReadDouble(ref CanonicalReader reader) => BitConverter.Int64BitsToDouble(reader.ReadInt64());

    public static bool ReadBool(ref CanonicalReader reader, string what)
    {
        var value = reader.ReadByte();
        if (value > 1)
        {
            CanonicalReader.Fail($"{what} is {value}; a flag is 0 or 1");
        }

        return value == 1;
    }

    public static void WriteTags(PayloadBuilder writer, IReadOnlyCollection<string> sortedTags)
    {
        writer.WriteByte(checked((byte)sortedTags.Count));
        foreach (var tag in sortedTags)
        {
            writer.WriteText(tag, shortPrefix: true);
        }
    }

    public static string[] ReadTags(ref CanonicalReader reader, string what)
    {
        int count = reader.ReadByte();
        if (count > LedgerLimits.MaxTagsPerFile)
        {
            CanonicalReader.Fail($"{what} lists {count} tags; at most {LedgerLimits.MaxTagsPerFile} are allowed");
        }

        var tags = new string[count];
        for (var i = 0; i < count; i++)
        {
            tags[i] = LedgerRules.Tag(reader.ReadText(shortPrefix: true, LedgerLimits.MaxTagBytes, $"a tag in {what}"));
            if (i > 0 && string.CompareOrdinal(tags[i - 1], tags[i]) >= 0)
            {
                CanonicalReader.Fail($"{what} are not in ascending ordinal order without repeats ('{tags[i - 1]}' then '{tags[i]}')");
            }
        }

        return tags;
    }

    public static void WriteNames(PayloadBuilder writer, IReadOnlyCollection<string> sortedNames)
    {
        writer.WriteByte(checked((byte)sortedNames.Count));
        foreach (var name in sortedNames)
        {
            writer.WriteText(name, shortPrefix: true);
        }
    }

    public static string[] ReadNames(ref CanonicalReader reader, string what)
    {
        int count = reader.ReadByte();
        if (count > LedgerLimits.MaxFieldsPerFile)
        {
            CanonicalReader.Fail($"{what} lists {count} fields; at most {LedgerLimits.MaxFieldsPerFile} are allowed");
        }

        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = LedgerRules.FieldName(reader.ReadText(shortPrefix: true, LedgerLimits.MaxFieldNameLength, $"a field name in {what}"));
            CheckAscending(names, i, what);
        }

        return names;
    }

    public static void WriteFields(PayloadBuilder writer, IReadOnlyCollection<KeyValuePair<string, FieldValue>> sortedFields)
    {
        writer.WriteByte(checked((byte)sortedFields.Count));
        foreach (var (name, value) in sortedFields)
        {
            writer.WriteText(name, shortPrefix: true);
            value.Write(writer);
        }
    }

    public static List<KeyValuePair<string, FieldValue>> ReadFields(ref CanonicalReader reader, string what)
    {
        int count = reader.ReadByte();
        if (count > LedgerLimits.MaxFieldsPerFile)
        {
            CanonicalReader.Fail($"{what} lists {count} fields; at most {LedgerLimits.MaxFieldsPerFile} are allowed");
        }

        var names = new string[count];
        var fields = new List<KeyValuePair<string, FieldValue>>(count);
        for (var i = 0; i < count; i++)
        {
            names[i] = LedgerRules.FieldName(reader.ReadText(shortPrefix: true, LedgerLimits.MaxFieldNameLength, $"a field name in {what}"));
            CheckAscending(names, i, what);
            fields.Add(new(names[i], FieldValue.Read(ref reader, $"the value of field '{names[i]}'")));
        }

        return fields;
    }

    private static void CheckAscending(string[] names, int i, string what)
    {
        if (i > 0 && string.CompareOrdinal(names[i - 1], names[i]) >= 0)
        {
            CanonicalReader.Fail($"{what} are not in ascending ordinal order without repeats ('{names[i - 1]}' then '{names[i]}')");
        }
    }
}
