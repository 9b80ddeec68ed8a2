using System.Buffers.Binary;
using System.Text;

namespace ActorChain.Gateway.Tests;

/// <summary>
/// A tiny JPEG (SOI, an EXIF APP1 segment, SOF0, EOI) with camera, date-taken and GPS tags, built
/// byte by byte so the test owns what the metadata says. Little-endian TIFF, as most cameras write.
/// </summary>
internal static class ExifJpeg
{
    public static byte[] Create(string make, string model, string dateTaken, double latitude, double longitude, int width, int height)
    {
        var tiff = Tiff(make, model, dateTaken, latitude, longitude, width, height);
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        var app1 = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        jpeg.AddRange([0xFF, 0xE1, (byte)((app1.Length + 2) >> 8), (byte)(app1.Length + 2)]);
        jpeg.AddRange(app1);
        jpeg.AddRange([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        jpeg.AddRange([0xFF, 0xD9]);
        return [.. jpeg];
    }

    private static byte[] Tiff(string make, string model, string dateTaken, double latitude, double longitude, int width, int height)
    {
        // Layout: header(8) · IFD0 (4 entries) · Exif IFD (3 entries) · GPS IFD (4 entries) · data area.
        const int Ifd0 = 8;
        const int ExifIfd = Ifd0 + 2 + (4 * 12) + 4;
        const int GpsIfd = ExifIfd + 2 + (3 * 12) + 4;
        const int Data = GpsIfd + 2 + (4 * 12) + 4;
        var data = new List<byte>();
        int Put(byte[] bytes)
        {
            var offset = Data + data.Count;
            data.AddRange(bytes);
            if (data.Count % 2 == 1)
            {
                data.Add(0);
            }

            return offset;
        }

        static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text + "\0");

        byte[] Degrees(double value)
        {
            value = Math.Abs(value);
            var d = (uint)value;
            var m = (uint)((value - d) * 60);
            var s = (uint)Math.Round((((value - d) * 60) - m) * 60 * 1000);
            var bytes = new byte[24];
            uint[] parts = [d, 1, m, 1, s, 1000];
            for (var i = 0; i < 6; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), parts[i]);
            }

            return bytes;
        }

        var makeBytes = Ascii(make);
        var modelBytes = Ascii(model);
        var dateBytes = Ascii(dateTaken);
        var latBytes = Degrees(latitude);
        var lonBytes = Degrees(longitude);
        var makeAt = Put(makeBytes);
        var modelAt = Put(modelBytes);
        var dateAt = Put(dateBytes);
        var latAt = Put(latBytes);
        var lonAt = Put(lonBytes);

        var tiff = new byte[Data + data.Count];
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), Ifd0);
        var at = Ifd0;
        void Count(int n)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), (ushort)n);
            at += 2;
        }

        void Tag(ushort tag, ushort type, uint count, uint valueOrOffset)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), count);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), valueOrOffset);
            at += 12;
        }

        void End()
        {
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at), 0);
            at += 4;
        }

        const ushort AsciiType = 2, LongType = 4, RationalType = 5;
        Count(4);
        Tag(0x010F, AsciiType, (uint)makeBytes.Length, (uint)makeAt);
        Tag(0x0110, AsciiType, (uint)modelBytes.Length, (uint)modelAt);
        Tag(0x8769, LongType, 1, ExifIfd);
        Tag(0x8825, LongType, 1, GpsIfd);
        End();
        Count(3);
        Tag(0x9003, AsciiType, (uint)dateBytes.Length, (uint)dateAt);
        Tag(0xA002, LongType, 1, (uint)width);
        Tag(0xA003, LongType, 1, (uint)height);
        End();
        Count(4);
        Tag(0x0001, AsciiType, 2, latitude >= 0 ? 'N' : 'S');
        Tag(0x0002, RationalType, 3, (uint)latAt);
        Tag(0x0003, AsciiType, 2, longitude >= 0 ? 'E' : 'W');
        Tag(0x0004, RationalType, 3, (uint)lonAt);
        End();
        data.CopyTo(tiff, Data);
        return tiff;
    }
}
