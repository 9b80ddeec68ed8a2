using System.Text;
using ActorChain.Chain.Ledger;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Chain.Tests.Ledger;

public sealed class PayloadCodecTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void EveryPayload_RoundTripsAndReencodesToTheSameBytes()
    {
        var property = Prop.ForAll(LedgerGenerators.AnyPayload.ToArbitrary(), item =>
        {
            var bytes = LedgerGenerators.Encode(item.Payload);
            var decoded = LedgerGenerators.Decode(item.Kind, bytes);
            return decoded.Equals(item.Payload) && LedgerGenerators.Encode(decoded).AsSpan().SequenceEqual(bytes);
        });

        Check.One(Quick, property);
    }

    [Fact]
    public void EveryTruncatedPayload_FailsWithAChainFormatException()
    {
        var property = Prop.ForAll(LedgerGenerators.AnyPayload.ToArbitrary(), item =>
        {
            var bytes = LedgerGenerators.Encode(item.Payload);
            for (var length = 0; length < bytes.Length; length++)
            {
                Assert.Throws<ChainFormatException>(() => LedgerGenerators.Decode(item.Kind, bytes.AsSpan(0, length)));
            }
        });

        Check.One(Quick, property);
    }

    [Fact]
    public void AnyCorruptedPayload_DecodesOrFailsWithAChainFormatExceptionOnly()
    {
        var corruption = from item in LedgerGenerators.AnyPayload
                         from position in Gen.Choose(0, 10_000)
                         from value in Gen.Choose(0, 255)
                         select (item.Kind, Bytes: Corrupt(LedgerGenerators.Encode(item.Payload), position, (byte)value));
        var property = Prop.ForAll(corruption.ToArbitrary(), c =>
        {
            try
            {
                LedgerGenerators.Decode(c.Kind, c.Bytes);
            }
            catch (ChainFormatException)
            {
            }
        });

        Check.One(Quick, property);
    }

    [Fact]
    public void KvPutFastPath_AcceptsExactlyWhatDecodeAccepts()
    {
        var input = from key in LedgerGenerators.Word("k", "ключ", "😀")
                    from value in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
                    from position in Gen.Choose(-1, 2000)
                    from flip in Gen.Choose(1, 255)
                    select Mutate(new KvPutPayload(key, value).Encode(), position, (byte)flip);
        var property = Prop.ForAll(input.ToArbitrary(), bytes =>
        {
            KvPutPayload? decoded = null;
            try
            {
                decoded = KvPutPayload.Decode(bytes);
            }
            catch (ChainFormatException)
            {
            }

            var fast = KvPutPayload.TryRead(bytes, out var key, out var value, out var error);
            Assert.Equal(decoded is not null, fast);
            Assert.Equal(fast, error is null);
            if (decoded is not null)
            {
                Assert.Equal(decoded, new KvPutPayload(key, value));
            }
        });

        Check.One(Quick, property);
    }

    [Fact]
    public void TrailingBytes_AreRejected()
    {
        var bytes = new KvDeletePayload("k").Encode();

        var e = Assert.Throws<ChainFormatException>(() => KvDeletePayload.Decode([.. bytes, 0]));
        Assert.Contains("kv.delete payload", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVersion_IsRejected()
    {
        // Versions 1 (no key) and 2 (with a voter's public key) are defined; 3 is not.
        var bytes = new VoterAddPayload("n1").Encode();
        bytes[0] = 3;

        var e = Assert.Throws<ChainFormatException>(() => VoterAddPayload.Decode(bytes));
        Assert.Contains("version 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KvPut_LayoutIsVersionKeyThenLengthPrefixedValue()
    {
        var bytes = new KvPutPayload("ab", new byte[] { 7, 8 }).Encode();

        Assert.Equal(new byte[] { 1, 2, 0, (byte)'a', (byte)'b', 2, 0, 0, 0, 7, 8 }, bytes);
    }

    [Fact]
    public void TagsOutOfOrderOnTheWire_AreRejected()
    {
        var bytes = new FileMetaPayload("f1", addTags: ["a", "b"]).Encode();
        var a = Array.IndexOf(bytes, (byte)'a');
        (bytes[a], bytes[a + 2]) = (bytes[a + 2], bytes[a]);

        var e = Assert.Throws<ChainFormatException>(() => FileMetaPayload.Decode(bytes));
        Assert.Contains("ascending", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructors_SortAndDeduplicateTags()
    {
        var payload = new FileAddPayload("f1", default, 1, "x.jpg", "image/jpeg", ["b", "a", "b"]);

        Assert.Equal(["a", "b"], payload.Tags);
    }

    [Fact]
    public void Key_IsAtMost1024Utf8Bytes()
    {
        _ = new KvDeletePayload(new string('k', 1024));

        Assert.Throws<ArgumentException>(() => new KvDeletePayload(new string('k', 1025)));
        Assert.Throws<ArgumentException>(() => new KvPutPayload(new string('é', 513), Array.Empty<byte>()));
        Assert.Throws<ArgumentException>(() => new KvDeletePayload(""));
    }

    [Fact]
    public void AFile_HasAtMost64Tags()
    {
        var tags = Enumerable.Range(0, 65).Select(i => $"t{i}").ToArray();

        Assert.Throws<ArgumentException>(() => new FileAddPayload("f1", default, 1, "x.jpg", "image/jpeg", tags));
        _ = new FileAddPayload("f1", default, 1, "x.jpg", "image/jpeg", tags[..64]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Rating")]
    [InlineData("with space")]
    [InlineData("dot.ted")]
    [InlineData("a1234567890123456789012345678901234567890123456789012345678901234")]
    public void FieldNames_OutsideTheAlphabetOrLength_AreRejected(string name) =>
        Assert.Throws<ArgumentException>(() => new FieldDefinePayload(name, FieldType.String));

    [Fact]
    public void FieldNames_OfLowerCaseDigitsUnderscoreAndDash_AreAccepted() =>
        Assert.Equal("a_1-z", new FieldDefinePayload("a_1-z", FieldType.Geo).Name);

    [Theory]
    [InlineData(90.0001, 0)]
    [InlineData(-90.0001, 0)]
    [InlineData(0, 180.0001)]
    [InlineData(0, -180.0001)]
    [InlineData(double.NaN, 0)]
    [InlineData(0, double.PositiveInfinity)]
    public void Coordinates_OffTheGlobe_AreRejected(double latitude, double longitude) =>
        Assert.Throws<ArgumentException>(() => new GeoPoint(latitude, longitude));

    [Fact]
    public void CoordinatesOffTheGlobe_OnTheWire_AreRejected()
    {
        var bytes = new FileAddPayload("f1", default, 1, "x.jpg", "image/jpeg", media: new MediaMetadata(location: new GeoPoint(10, 20))).Encode();
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 16, 8), 95.0);

        var e = Assert.Throws<ChainFormatException>(() => FileAddPayload.Decode(bytes));
        Assert.Contains("latitude", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileIds_AreUrlSafe()
    {
        Assert.Throws<ArgumentException>(() => new FileDeletePayload("a/b"));
        Assert.Throws<ArgumentException>(() => new FileDeletePayload("a b"));
        Assert.Equal("Ab-0_9.x", new FileDeletePayload("Ab-0_9.x").FileId);
    }

    [Fact]
    public void FileMeta_CannotAddAndRemoveTheSameTagOrSetAndClearTheSameField()
    {
        Assert.Throws<ArgumentException>(() => new FileMetaPayload("f1", addTags: ["x"], removeTags: ["x"]));
        Assert.Throws<ArgumentException>(() => new FileMetaPayload("f1", setFields: [new("a", FieldValue.Number(1))], clearFields: ["a"]));
    }

    [Fact]
    public void Media_RejectsDatesBeyondYear9999AndNonPositiveSizes()
    {
        Assert.Throws<ArgumentException>(() => new MediaMetadata(takenAtUnixMs: LedgerLimits.MaxDateUnixMs + 1));
        Assert.Throws<ArgumentException>(() => new MediaMetadata(width: 0));
        Assert.Throws<ArgumentException>(() => new MediaMetadata(cameraMake: new string('m', 129)));
    }

    [Fact]
    public void Tags_WithCommasControlCharactersOrOuterSpaces_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => FieldValue.Tags(["a,b"]));
        Assert.Throws<ArgumentException>(() => FieldValue.Tags(["a\nb"]));
        Assert.Throws<ArgumentException>(() => FieldValue.Tags([" a"]));
        Assert.Throws<ArgumentException>(() => FieldValue.Tags([new string('t', 65)]));
    }

    [Fact]
    public void FieldValues_AreEqualByTypeAndValue()
    {
        Assert.Equal(FieldValue.Number(0), FieldValue.Number(-0.0));
        Assert.Equal(FieldValue.Tags(["b", "a"]), FieldValue.Tags(["a", "b"]));
        Assert.NotEqual(FieldValue.Number(5), FieldValue.Date(5));
        Assert.Throws<ArgumentException>(() => FieldValue.Number(double.NaN));
        Assert.Throws<InvalidOperationException>(() => FieldValue.Number(1).AsString);
    }

    [Theory]
    [InlineData(FieldType.Number, "4.5")]
    [InlineData(FieldType.Date, "2020-01-01T00:00:00Z")]
    [InlineData(FieldType.Date, "1577836800000")]
    [InlineData(FieldType.Geo, "59.9,10.75")]
    [InlineData(FieldType.Tags, "alice, bob")]
    [InlineData(FieldType.String, "anything")]
    public void FieldValue_ParsesQueryText(FieldType type, string text)
    {
        Assert.True(FieldValue.TryParse(type, text, out var value, out var error), error);
        Assert.Equal(type, value!.Type);
        if (type == FieldType.Date)
        {
            Assert.Equal(1_577_836_800_000, value.AsDateUnixMs);
        }
    }

    [Theory]
    [InlineData(FieldType.Number, "four")]
    [InlineData(FieldType.Number, "NaN")]
    [InlineData(FieldType.Date, "yesterday")]
    [InlineData(FieldType.Geo, "91,0")]
    [InlineData(FieldType.Geo, "1;2")]
    [InlineData(FieldType.String, "")]
    public void FieldValue_RefusesBadQueryText(FieldType type, string text)
    {
        Assert.False(FieldValue.TryParse(type, text, out var value, out var error));
        Assert.Null(value);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void FieldTypes_HaveWireNames()
    {
        foreach (var type in Enum.GetValues<FieldType>())
        {
            Assert.True(FieldTypes.TryParse(type.ToWireName(), out var parsed));
            Assert.Equal(type, parsed);
        }

        Assert.False(FieldTypes.TryParse("blob", out _));
    }

    [Fact]
    public void KvPutValue_IsTheEntrysBytes()
    {
        var value = Encoding.UTF8.GetBytes("hello");

        var decoded = KvPutPayload.Decode(new KvPutPayload("k", value).Encode());

        Assert.Equal(value, decoded.Value.ToArray());
    }

    // Position -1 leaves the bytes intact; beyond the end it cuts them short.
    private static byte[] Mutate(byte[] bytes, int position, byte flip) =>
        position < 0 ? bytes : position >= bytes.Length ? bytes[..(position % bytes.Length)] : Corrupt(bytes, position, flip);

    private static byte[] Corrupt(byte[] bytes, int position, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[position % copy.Length] ^= (byte)(value | 1);
        return copy;
    }
}
