namespace ActorChain.Chain.Tests;

/// <summary>Holds docs/protocol.md to the code: its worked example, kind table and limits.</summary>
public sealed class ProtocolDocTests
{
    private const string ExampleHex =
        "01000000000000000000000000000000000000000000000000000000000000000000000000000000000068e5cf8b0100000464656d6f"
        + "6c1fd600b3bdd595fc9fd167eb70f6c76f42f10ba99fc80ff297d8d9b763c9c701000000"
        + "8d88978e0524c0ef4cc892d9a5a509be2939eec842044b4db15f2d2b2e548dbf"
        + "00070067656e657369730464656d6f0068e5cf8b0100000b000000010464656d6f0100026e31"
        + "0000";

    private const string ExampleHash = "8d88978e0524c0ef4cc892d9a5a509be2939eec842044b4db15f2d2b2e548dbf";
    private const string ExampleRoot = "6c1fd600b3bdd595fc9fd167eb70f6c76f42f10ba99fc80ff297d8d9b763c9c7";

    private static readonly Block Example = GenesisPayload.CreateGenesisBlock("demo", ["n1"], 1_700_000_000_000);

    [Fact]
    public void WorkedExample_EncodesToTheDocumentedBytes()
    {
        var bytes = BlockCodec.EncodeBlock(Example);

        Assert.Equal(162, bytes.Length);
        Assert.Equal(ExampleHex, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void WorkedExample_HasTheDocumentedHashAndRoot()
    {
        Assert.Equal(ExampleHash, Example.Hash.ToString());
        Assert.Equal(ExampleRoot, Example.Header.EntriesRoot.ToString());
        Assert.Equal(90, BlockCodec.GetHeaderSize(Example.Header));
    }

    [Fact]
    public void WorkedExample_DecodesToAValidGenesisOfClusterDemo()
    {
        var decoded = BlockCodec.DecodeBlock(Convert.FromHexString(ExampleHex));

        Assert.True(ChainVerifier.VerifyGenesis(decoded, "demo", Hash256.Parse(ExampleHash)).IsValid);
        Assert.Equal(["n1"], GenesisPayload.Decode(decoded.Entries[0].Payload.Span).Voters);
    }

    [Fact]
    public void Doc_ShowsTheExampleBytesHashAndRoot()
    {
        var doc = ReadDoc();

        Assert.Contains(ExampleHex, doc, StringComparison.Ordinal);
        Assert.Contains(ExampleHash, doc, StringComparison.Ordinal);
        Assert.Contains(ExampleRoot, doc, StringComparison.Ordinal);
    }

    [Fact]
    public void Doc_ListsEveryEntryKindWithItsByteAndWireName()
    {
        var doc = ReadDoc();

        Assert.All(Enum.GetValues<EntryKind>(), kind =>
            Assert.Contains($"| {(byte)kind} | `{kind.ToWireName()}` |", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void Doc_StatesTheLimitsTheCodeEnforces()
    {
        var doc = ReadDoc();

        Assert.Contains($"| entries per block | {BlockCodec.MaxEntriesPerBlock:N0} |", doc, StringComparison.Ordinal);
        Assert.Contains($"({Entry.MaxPayloadBytes:N0} bytes)", doc, StringComparison.Ordinal);
        Assert.Contains($"| entry id | {Entry.MaxIdBytes} UTF-8 bytes |", doc, StringComparison.Ordinal);
        Assert.Contains($"cluster id | {Entry.MaxNodeIdBytes} UTF-8 bytes |", doc, StringComparison.Ordinal);
        Assert.Contains($"| signature | {BlockCodec.MaxSignatureBytes} bytes |", doc, StringComparison.Ordinal);
        Assert.Contains($"| genesis voters | {GenesisPayload.MaxVoters} |", doc, StringComparison.Ordinal);
        Assert.Contains($"this page describes version `{BlockHeader.CurrentVersion}`", doc, StringComparison.Ordinal);
    }

    private static string ReadDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "protocol.md");
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException("docs/protocol.md was not found above " + AppContext.BaseDirectory);
    }
}
