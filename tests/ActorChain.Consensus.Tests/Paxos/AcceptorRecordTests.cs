using ActorChain.Chain;
using ActorChain.Consensus.Paxos;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Consensus.Tests.Paxos;

public sealed class AcceptorRecordTests
{
    private static readonly Block Genesis = TestChains.Genesis("a", "b", "c");

    private static readonly Gen<AcceptorRecord> Records =
        from kind in Gen.Elements(AcceptorRecordKind.Promised, AcceptorRecordKind.Accepted, AcceptorRecordKind.RoundUsed)
        from height in Gen.Choose(1, int.MaxValue)
        from round in Gen.Choose(0, int.MaxValue)
        from node in Gen.Elements("a", "node-β", new string('n', 64))
        from entries in Gen.Choose(0, 4)
        select kind switch
        {
            AcceptorRecordKind.Accepted => AcceptorRecord.Accepted(
                height,
                new Ballot(round, node),
                Block.Create(height, Genesis.Hash, 5, node, Enumerable.Range(0, entries).Select(i => TestChains.Put($"e{i}")).ToList())),
            AcceptorRecordKind.Promised => AcceptorRecord.Promised(height, new Ballot(round, node)),
            _ => AcceptorRecord.RoundUsed(new Ballot(round, node)),
        };

    [Fact]
    public void Decode_OfEncode_GivesTheSameRecord()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Records.ToArbitrary(), record =>
        {
            var decoded = AcceptorRecord.Decode(record.Encode());
            return decoded.Kind == record.Kind
                && decoded.Height == record.Height
                && decoded.Ballot == record.Ballot
                && decoded.Block?.Hash == record.Block?.Hash
                && decoded.Block?.Entries.Count == record.Block?.Entries.Count;
        }));
    }

    [Fact]
    public void Decode_OfAnyTruncation_FailsWithFormatException()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Records.ToArbitrary(), record =>
        {
            var bytes = record.Encode();
            for (var length = 0; length < bytes.Length; length++)
            {
                try
                {
                    AcceptorRecord.Decode(bytes.AsSpan(0, length));
                    return false;
                }
                catch (FormatException)
                {
                }
            }

            return true;
        }));
    }

    [Fact]
    public void Decode_WithTrailingBytes_FailsWithFormatException()
    {
        var bytes = AcceptorRecord.Promised(3, new Ballot(1, "a")).Encode();

        Assert.Throws<FormatException>(() => AcceptorRecord.Decode([.. bytes, 0]));
    }

    [Fact]
    public void Decode_OfAnUnknownVersion_FailsNamingTheVersion()
    {
        var bytes = AcceptorRecord.Promised(3, new Ballot(1, "a")).Encode();
        bytes[0] = 9;

        var error = Assert.Throws<FormatException>(() => AcceptorRecord.Decode(bytes));

        Assert.Contains("version 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_IsVersionedLittleEndianWithTheDocumentedLayout()
    {
        var bytes = AcceptorRecord.Promised(0x0102, new Ballot(0x0304, "ab")).Encode();

        Assert.Equal(
            new byte[] { 1, 1, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0x04, 0x03, 0, 0, 0, 0, 0, 0, 2, (byte)'a', (byte)'b' },
            bytes);
    }
}
