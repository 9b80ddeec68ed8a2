using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ActorChain.Cli.Load;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Cli.Tests;

/// <summary>The load tool's encodings and statistics; the real etcd run is benchmarks/load's job.</summary>
public sealed class LoadPartsTests
{
    [Fact]
    public void EtcdPut_IsKeyAndValueInBase64()
    {
        var body = JsonDocument.Parse(EtcdKv.PutBody("load/1"u8, [0, 255, 7])).RootElement;

        Assert.Equal(Convert.ToBase64String("load/1"u8), body.GetProperty("key").GetString());
        Assert.Equal("AP8H", body.GetProperty("value").GetString());
        Assert.Equal(2, body.EnumerateObject().Count());
    }

    [Fact]
    public void EtcdRange_AsksSerializableOnlyWhenTold()
    {
        var linear = JsonDocument.Parse(EtcdKv.RangeBody("k"u8, serializable: false)).RootElement;
        var local = JsonDocument.Parse(EtcdKv.RangeBody("k"u8, serializable: true)).RootElement;

        Assert.Equal("aw==", linear.GetProperty("key").GetString());
        Assert.False(linear.TryGetProperty("serializable", out _));
        Assert.True(local.GetProperty("serializable").GetBoolean());
    }

    [Fact]
    public void EtcdAnswers_AsTheGatewayWritesThem_AreRead_Int64sAsStrings()
    {
        // Shapes of etcd 3.4's grpc-gateway: int64 fields are JSON strings, empty fields are left out.
        var put = """{"header":{"cluster_id":"14841639068965178418","member_id":"10276657743932975437","revision":"42","raft_term":"3"}}""";
        var found = """{"header":{"cluster_id":"1","member_id":"2","revision":"43","raft_term":"3"},"kvs":[{"key":"bG9hZC8x","create_revision":"5","mod_revision":"43","version":"7","value":"aGVsbG8="}],"count":"1"}""";
        var missing = """{"header":{"cluster_id":"1","member_id":"2","revision":"44","raft_term":"3"}}""";
        var emptyValue = """{"header":{"revision":"45"},"kvs":[{"key":"aw==","create_revision":"45","mod_revision":"45","version":"1"}],"count":"1"}""";

        Assert.Equal(42, EtcdKv.ParsePut(Encoding.UTF8.GetBytes(put)));
        Assert.Equal(new EtcdRange(43, 1, null), EtcdKv.ParseRange(Encoding.UTF8.GetBytes(found)) with { Value = null });
        Assert.Equal("hello", Encoding.UTF8.GetString(EtcdKv.ParseRange(Encoding.UTF8.GetBytes(found)).Value!));
        Assert.Equal(new EtcdRange(44, 0, null), EtcdKv.ParseRange(Encoding.UTF8.GetBytes(missing)));
        Assert.Equal([], EtcdKv.ParseRange(Encoding.UTF8.GetBytes(emptyValue)).Value!);
    }

    [Fact]
    public void EtcdErrorAnswer_IsAFormatException_CarryingEtcdsMessage()
    {
        var error = """{"error":"etcdserver: request is too large","code":3,"message":"etcdserver: request is too large"}"""u8.ToArray();

        Assert.Equal("etcdserver: request is too large (code 3)", EtcdKv.ParseError(error));
        var thrown = Assert.Throws<FormatException>(() => EtcdKv.ParsePut(error));
        Assert.Contains("request is too large", thrown.Message, StringComparison.Ordinal);
        Assert.Null(EtcdKv.ParseError("not json"u8));
    }

    [Fact]
    public void Percentiles_AreNearestRank()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.Equal((50.0, 95.0, 99.0, 100.0), (Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 95), Percentiles.Of(sorted, 99), Percentiles.Of(sorted, 100)));
        Assert.Equal(7.0, Percentiles.Of([7.0], 99));
        Assert.Equal(0.0, Percentiles.Of([], 50));
    }

    [Fact]
    public void Percentile_IsAlwaysAnElementWithAtLeastThatShareAtOrBelowIt()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<double[]>(), Gen.Choose(1, 100).ToArbitrary(), (values, p) =>
        {
            var sorted = values.Where(double.IsFinite).Order().ToArray();
            if (sorted.Length == 0)
            {
                return true;
            }

            var value = Percentiles.Of(sorted, p);
            return sorted.Contains(value) && sorted.Count(v => v <= value) >= p / 100.0 * sorted.Length;
        });
        property.QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TinyPng_IsAValidPng_WithItsSizeAndPixels()
    {
        byte[] pixels = [1, 2, 3, 4, 5, 6];

        var png = TinyPng.Create(2, 1, pixels);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = Chunks(png).ToList();
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.All(chunks, c => Assert.True(c.CrcOk, $"{c.Type} has a bad CRC"));
        var header = chunks[0].Data;
        Assert.Equal((2, 1, (byte)8, (byte)2), (BinaryPrimitives.ReadInt32BigEndian(header), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)), header[8], header[9]));
        using var inflate = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflate.CopyTo(raw);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], raw.ToArray());
    }

    [Fact]
    public void TinyPng_Crc_MatchesTheKnownValueOfIEND() =>
        Assert.Equal(0xAE426082u, TinyPng.Crc32("IEND"u8, []));

    [Fact]
    public void TinyPng_Random_IsAboutTheAskedSize_AndDiffersEachTime()
    {
        var random = new Random(1);

        var (a, b) = (TinyPng.Random(4096, random), TinyPng.Random(4096, random));

        Assert.InRange(a.Length, 3000, 5500);
        Assert.NotEqual(a, b);
    }

    private static IEnumerable<(string Type, byte[] Data, bool CrcOk)> Chunks(byte[] png)
    {
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = png.AsSpan(at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            yield return (Encoding.ASCII.GetString(type), data.ToArray(), crc == TinyPng.Crc32(type, data));
            at += 12 + length;
        }
    }
}
