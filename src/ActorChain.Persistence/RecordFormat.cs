using System.Buffers.Binary;

namespace ActorChain.Persistence;

/// <summary>
/// The framing of journal and acceptor-log records: [u32 LE payload length][u32 LE CRC-32C of the
/// payload][payload]. Empty payloads are never written, so a zero length marks damage or a zero-filled tail.
/// </summary>
internal static class RecordFormat
{
    public const int HeaderSize = 8;

    public static int Write(Span<byte> destination, ReadOnlySpan<byte> payload, out uint crc)
    {
        crc = Crc32C.Compute(payload);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], crc);
        payload.CopyTo(destination[HeaderSize..]);
        return HeaderSize + payload.Length;
    }

    /// <summary>Reads the record at the start of <paramref name="data"/>.</summary>
    public static RecordCheck Check(ReadOnlySpan<byte> data, int maxPayload, out int payloadLength, out uint crc)
    {
        payloadLength = 0;
        crc = 0;
        if (data.Length < HeaderSize)
        {
            return RecordCheck.ShortHeader;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        crc = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (length == 0 || length > (uint)maxPayload)
        {
            return RecordCheck.BadLength;
        }

        payloadLength = (int)length;
        if (data.Length - HeaderSize < payloadLength)
        {
            return RecordCheck.ShortPayload;
        }

        return Crc32C.Compute(data.Slice(HeaderSize, payloadLength)) == crc ? RecordCheck.Ok : RecordCheck.BadCrc;
    }

    /// <summary>
    /// Nothing but zeros from <paramref name="offset"/> on: the space a file grows by ahead of its appends
    /// (<see cref="DurableFile.WriteInPlace"/>), so the records end there; not damage, and not a torn write.
    /// </summary>
    public static bool IsZeroTail(ReadOnlySpan<byte> data, int offset) => !data[offset..].ContainsAnyExcept((byte)0);

    /// <summary>
    /// A bad record is a torn write only when nothing valid follows it: a crash can tear the last
    /// write, but it cannot leave good records behind a bad one. Finding a good record further on
    /// means the bad one was damaged in place. Callers test <see cref="IsZeroTail"/> first.
    /// </summary>
    public static bool IsTornTail(ReadOnlySpan<byte> data, int badOffset, int maxPayload, Func<ReadOnlyMemory<byte>, bool>? plausible, ReadOnlyMemory<byte> whole)
    {
        for (var offset = badOffset + 1; offset <= data.Length - HeaderSize - 1; offset++)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            if (length == 0 || length > (uint)maxPayload || length > (uint)(data.Length - offset - HeaderSize))
            {
                continue;
            }

            if (plausible is not null && !plausible(whole.Slice(offset + HeaderSize, (int)length)))
            {
                continue;
            }

            if (Check(data[offset..], maxPayload, out _, out _) == RecordCheck.Ok)
            {
                return false;
            }
        }

        return true;
    }

    public static string Describe(RecordCheck check, int payloadLength) => check switch
    {
        RecordCheck.ShortHeader => "the record header is cut short",
        RecordCheck.ShortPayload => $"the record announces {payloadLength} bytes but the file ends first",
        RecordCheck.BadLength => "the record length is zero or beyond the limit",
        RecordCheck.BadCrc => "the record's CRC-32C does not match its payload",
        _ => "the record is valid",
    };
}

internal enum RecordCheck
{
    Ok,
    ShortHeader,
    ShortPayload,
    BadLength,
    BadCrc,
}
