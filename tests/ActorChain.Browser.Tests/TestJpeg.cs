using System.Buffers.Binary;
using System.Text;

namespace ActorChain.Browser.Tests;

/// <summary>
/// Small valid baseline JPEGs with EXIF (date taken, GPS), written here so the specs need no image
/// library or fixture files. Grayscale, one flat shade per 8×8 block, so each block is a lone DC
/// coefficient followed by end-of-block and no DCT is needed.
/// </summary>
internal static class TestJpeg
{
    public sealed record Exif(DateTime TakenAt, double Latitude, double Longitude);

    // ITU T.81 Annex K.3 luminance DC table: code lengths per category 0..11.
    private static readonly byte[] DcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];

    public static byte[] Create(int width, int height, Func<int, int, byte> shadeOfBlock, Exif? exif = null)
    {
        if (width % 8 != 0 || height % 8 != 0)
        {
            throw new ArgumentException("Width and height must be multiples of 8.");
        }

        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        if (exif is not null)
        {
            Segment(jpeg, 0xE1, [.. "Exif\0\0"u8, .. ExifTiff(exif)]);
        }

        // Every quantiser 1: the DC coefficient is stored exactly.
        Segment(jpeg, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(jpeg, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        Segment(jpeg, 0xC4, [0x00, .. DcCounts, .. Enumerable.Range(0, 12).Select(i => (byte)i)]);

        // An AC table whose only symbol is end-of-block, as the one-bit code 0.
        Segment(jpeg, 0xC4, [0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);
        Segment(jpeg, 0xDA, [1, 1, 0x00, 0, 63, 0]);

        var dcCodes = CanonicalCodes(DcCounts);
        var bits = new BitWriter(jpeg);
        var previous = 0;
        for (var by = 0; by < height / 8; by++)
        {
            for (var bx = 0; bx < width / 8; bx++)
            {
                // A flat block of shade v has DC = 8 × (v − 128) after the level shift.
                var dc = 8 * (shadeOfBlock(bx, by) - 128);
                var diff = dc - previous;
                previous = dc;
                var category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                var (code, length) = dcCodes[category];
                bits.Write(code, length);
                if (category > 0)
                {
                    bits.Write(diff > 0 ? diff : diff + (1 << category) - 1, category);
                }

                bits.Write(0, 1);
            }
        }

        bits.Flush();
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    private static void Segment(Stream jpeg, byte marker, byte[] body)
    {
        jpeg.Write([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
        jpeg.Write(body);
    }

    private static (int Code, int Length)[] CanonicalCodes(byte[] counts)
    {
        var codes = new List<(int, int)>();
        var code = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++)
            {
                codes.Add((code++, length));
            }

            code <<= 1;
        }

        return [.. codes];
    }

    // TIFF little-endian: IFD0 points at an Exif IFD (DateTimeOriginal) and a GPS IFD.
    private static byte[] ExifTiff(Exif exif)
    {
        const int ifd0 = 8;
        const int exifIfd = ifd0 + 2 + (2 * 12) + 4;
        const int dateAt = exifIfd + 2 + 12 + 4;
        const int gpsIfd = dateAt + 20;
        const int latAt = gpsIfd + 2 + (4 * 12) + 4;
        const int lonAt = latAt + 24;
        var tiff = new byte[lonAt + 24];
        var span = tiff.AsSpan();
        "II"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], ifd0);

        var at = Ifd(span, ifd0, 2);
        at = Entry(span, at, 0x8769, 4, 1, exifIfd);
        Entry(span, at, 0x8825, 4, 1, gpsIfd);

        at = Ifd(span, exifIfd, 1);
        Entry(span, at, 0x9003, 2, 20, dateAt);
        Encoding.ASCII.GetBytes(exif.TakenAt.ToString("yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).CopyTo(span[dateAt..]);

        at = Ifd(span, gpsIfd, 4);
        at = Entry(span, at, 0x0001, 2, 2, exif.Latitude >= 0 ? 'N' : 'S');
        at = Entry(span, at, 0x0002, 5, 3, latAt);
        at = Entry(span, at, 0x0003, 2, 2, exif.Longitude >= 0 ? 'E' : 'W');
        Entry(span, at, 0x0004, 5, 3, lonAt);
        Degrees(span[latAt..], Math.Abs(exif.Latitude));
        Degrees(span[lonAt..], Math.Abs(exif.Longitude));
        return tiff;
    }

    private static int Ifd(Span<byte> tiff, int offset, int entries)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[offset..], (ushort)entries);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[(offset + 2 + (12 * entries))..], 0);
        return offset + 2;
    }

    private static int Entry(Span<byte> tiff, int at, ushort tag, ushort type, uint count, long value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[at..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[(at + 2)..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[(at + 4)..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[(at + 8)..], (uint)value);
        return at + 12;
    }

    private static void Degrees(Span<byte> at, double value)
    {
        var degrees = Math.Floor(value);
        var minutes = Math.Floor((value - degrees) * 60);
        var milliSeconds = Math.Round((((value - degrees) * 60) - minutes) * 60 * 1000);
        Span<(uint, uint)> parts = [((uint)degrees, 1), ((uint)minutes, 1), ((uint)milliSeconds, 1000)];
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(at[(i * 8)..], parts[i].Item1);
            BinaryPrimitives.WriteUInt32LittleEndian(at[((i * 8) + 4)..], parts[i].Item2);
        }
    }

    private sealed class BitWriter(Stream output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        // The last byte is padded with ones, as T.81 asks.
        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);

            // 0xFF in entropy-coded data is followed by a stuffed zero so it is not read as a marker.
            if (_buffer == 0xFF)
            {
                output.WriteByte(0);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
