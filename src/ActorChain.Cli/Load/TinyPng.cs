using System.Buffers.Binary;
using System.IO.Compression;

namespace ActorChain.Cli.Load;

/// <summary>
/// Small valid PNG images (RGB, one row per <c>height</c>), so generated uploads pass a node that accepts only
/// image content types and carry real dimensions.
/// </summary>
internal static class TinyPng
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A <paramref name="width"/> x <paramref name="height"/> image whose pixels are <paramref name="pixels"/> (RGB, cycled).</summary>
    public static byte[] Create(int width, int height, ReadOnlySpan<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.IsEmpty)
        {
            throw new ArgumentException("At least one pixel byte is needed.", nameof(pixels));
        }

        var raw = new byte[height * (1 + (3 * width))];
        var source = 0;
        for (var row = 0; row < height; row++)
        {
            var offset = row * (1 + (3 * width));
            raw[offset] = 0; // filter: none
            for (var i = 1; i <= 3 * width; i++)
            {
                raw[offset + i] = pixels[source++ % pixels.Length];
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        header[10] = header[11] = header[12] = 0;
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, compressed.ToArray());
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>An image of about <paramref name="size"/> bytes of random pixels (random data does not compress).</summary>
    public static byte[] Random(int size, Random random)
    {
        var width = Math.Max(1, Math.Min(4096, (size - 64) / 3));
        var height = Math.Max(1, (size - 64) / (3 * width));
        var pixels = new byte[3 * width * height];
        random.NextBytes(pixels);
        return Create(width, height, pixels);
    }

    public static uint Crc32(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var x in a)
        {
            crc = CrcTable[(crc ^ x) & 0xFF] ^ (crc >> 8);
        }

        foreach (var x in b)
        {
            crc = CrcTable[(crc ^ x) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(type, data));
        png.Write(four);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
