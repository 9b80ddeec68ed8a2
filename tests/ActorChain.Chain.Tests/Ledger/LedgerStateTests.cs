using ActorChain.Chain.Ledger;
using static ActorChain.Chain.Tests.Ledger.TestEntries;

namespace ActorChain.Chain.Tests.Ledger;

public sealed class LedgerStateTests
{
    [Fact]
    public void Genesis_SetsClusterIdVotersAndHeightZero()
    {
        var chain = new LedgerTestChain("n3", "n1", "n2");

        Assert.Equal(0, chain.Ledger.Height);
        Assert.Equal(chain.Blocks[0].Hash, chain.Ledger.HeadHash);
        Assert.Equal(LedgerTestChain.ClusterId, chain.Ledger.ClusterId);
        Assert.Equal(["n1", "n2", "n3"], chain.Ledger.Voters);
        Assert.True(chain.Ledger.TryGetEntryLocation(GenesisPayload.EntryId, out var location));
        Assert.Equal((0L, chain.Blocks[0].Hash), location);
    }

    [Fact]
    public void NewLedger_IsBeforeGenesis()
    {
        var ledger = new LedgerState();

        Assert.Equal(-1, ledger.Height);
        Assert.True(ledger.HeadHash.IsZero);
        Assert.Null(ledger.ClusterId);
        Assert.Empty(ledger.Voters);
    }

    [Fact]
    public void BlockZero_WithoutGenesisEntry_Throws()
    {
        var block = Block.Create(0, Hash256.Zero, 1, "node-a", [Put("p1", "k", "v")]);

        Assert.Throws<ArgumentException>(() => new LedgerState().Apply(block));
    }

    [Fact]
    public void GenesisEntry_AfterBlockZero_IsRejected()
    {
        var chain = new LedgerTestChain();
        var second = new Entry("genesis-2", EntryKind.Genesis, new GenesisPayload("other", ["x"]).Encode(), "node-a", 1);

        var result = chain.Append(second);

        Assert.Equal(EntryStatus.Rejected, result.Outcomes[0].Status);
        Assert.Equal(LedgerTestChain.ClusterId, chain.Ledger.ClusterId);
        Assert.Equal(["node-a", "node-b", "node-c"], chain.Ledger.Voters);
    }

    [Fact]
    public void Apply_AtWrongHeight_Throws()
    {
        var chain = new LedgerTestChain();
        var block1 = chain.Next(Put("p1", "k", "v"));
        var block2 = Block.Create(2, block1.Hash, 3, "node-a", [Put("p2", "k", "w")]);

        Assert.Throws<InvalidOperationException>(() => chain.Ledger.Apply(block2));
        chain.Ledger.Apply(block1);
        Assert.Throws<InvalidOperationException>(() => chain.Ledger.Apply(block1));
        Assert.Equal(1, chain.Ledger.Height);
    }

    [Fact]
    public void Apply_WithWrongPreviousHash_Throws()
    {
        var chain = new LedgerTestChain();
        var stray = Block.Create(1, Hash256.Compute([1, 2, 3]), 2, "node-a", [Put("p1", "k", "v")]);

        Assert.Throws<InvalidOperationException>(() => chain.Ledger.Apply(stray));
        Assert.Equal(0, chain.Ledger.Height);
        Assert.False(chain.Ledger.TryGetValue("k", out _));
    }

    [Fact]
    public void KvPut_StoresValueWithWriterHeightAndEntryId()
    {
        var chain = new LedgerTestChain();

        var result = chain.Append(Put("p1", "colour", "blue"));

        Assert.Equal(EntryStatus.Applied, Assert.Single(result.Outcomes).Status);
        Assert.True(chain.Ledger.TryGetValue("colour", out var value));
        Assert.Equal("blue", Text(value));
        Assert.True(chain.Ledger.TryGetKey("colour", out var record));
        Assert.Equal((1L, "p1"), (record.Height, record.EntryId));
    }

    [Fact]
    public void KvPut_ToExistingKey_OverwritesAndMovesTheVersion()
    {
        var chain = new LedgerTestChain();
        chain.Append(Put("p1", "colour", "blue"));

        chain.Append(Put("p2", "colour", "green"));

        Assert.True(chain.Ledger.TryGetKey("colour", out var record));
        Assert.Equal("green", Text(record.Value));
        Assert.Equal((2L, "p2"), (record.Height, record.EntryId));
        Assert.Equal(1, chain.Ledger.KeyCount);
    }

    [Fact]
    public void KvDelete_RemovesKey_AndDeletingAMissingKeyIsRejected()
    {
        var chain = new LedgerTestChain();
        chain.Append(Put("p1", "colour", "blue"));

        var result = chain.Append(Delete("d1", "colour"), Delete("d2", "colour"));

        Assert.Equal([EntryStatus.Applied, EntryStatus.Rejected], result.Outcomes.Select(o => o.Status));
        Assert.Contains("no key 'colour'", result.Outcomes[1].Reason, StringComparison.Ordinal);
        Assert.False(chain.Ledger.TryGetValue("colour", out _));
        Assert.Equal(0, chain.Ledger.KeyCount);
    }

    [Fact]
    public void SameEntryId_InOneBlock_IsAppliedOnce()
    {
        var chain = new LedgerTestChain();

        var result = chain.Append(Put("p1", "k", "first"), Put("p1", "k", "second"));

        Assert.Equal([EntryStatus.Applied, EntryStatus.Duplicate], result.Outcomes.Select(o => o.Status));
        Assert.True(chain.Ledger.TryGetValue("k", out var value));
        Assert.Equal("first", Text(value));
    }

    [Fact]
    public void SameEntryId_InALaterBlock_IsADuplicateAndKeepsItsFirstLocation()
    {
        var chain = new LedgerTestChain();
        chain.Append(Put("p1", "k", "first"));
        chain.Append(Put("p2", "k", "second"));

        var result = chain.Append(Put("p1", "k", "first"));

        Assert.Equal(EntryStatus.Duplicate, Assert.Single(result.Outcomes).Status);
        Assert.True(chain.Ledger.TryGetValue("k", out var value));
        Assert.Equal("second", Text(value));
        Assert.True(chain.Ledger.TryGetEntryLocation("p1", out var location));
        Assert.Equal((1L, chain.Blocks[1].Hash), location);
        Assert.Equal(1, result.DuplicateCount);
    }

    [Fact]
    public void RejectedEntryId_RetriedLater_IsADuplicate()
    {
        var chain = new LedgerTestChain();
        chain.Append(Delete("d1", "missing"));
        chain.Append(Put("p1", "missing", "now here"));

        var result = chain.Append(Delete("d1", "missing"));

        Assert.Equal(EntryStatus.Duplicate, Assert.Single(result.Outcomes).Status);
        Assert.True(chain.Ledger.TryGetValue("missing", out _));
        Assert.True(chain.Ledger.TryGetEntryRecord("d1", out var record));
        Assert.Equal(EntryStatus.Rejected, record.Status);
        Assert.Equal(1, record.Height);
        Assert.NotNull(record.Reason);
    }

    [Fact]
    public void UnknownEntryId_HasNoLocation()
    {
        var chain = new LedgerTestChain();

        Assert.False(chain.Ledger.TryGetEntryLocation("nope", out _));
        Assert.False(chain.Ledger.TryGetEntryRecord("nope", out _));
    }

    [Fact]
    public void TaskClaim_FirstInChainWins_AndLaterClaimsAreLost()
    {
        var chain = new LedgerTestChain();
        var first = chain.Append(Claim("c1", "nightly-backup", "node-b"), Claim("c2", "nightly-backup", "node-a"));
        var later = chain.Append(Claim("c3", "nightly-backup", "node-c"));

        Assert.Equal([EntryStatus.Applied, EntryStatus.Lost], first.Outcomes.Select(o => o.Status));
        Assert.Equal(EntryStatus.Lost, Assert.Single(later.Outcomes).Status);
        Assert.Contains("node-b", later.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.True(chain.Ledger.TryGetTaskWinner("nightly-backup", out var winner));
        Assert.Equal(new TaskClaim("nightly-backup", "node-b", 1, "c1"), winner);
        Assert.Equal(["node-a", "node-c"], chain.Ledger.GetLostClaims("nightly-backup").Select(c => c.NodeId));
        Assert.False(chain.Ledger.TryGetTaskWinner("other-task", out _));
    }

    [Fact]
    public void TaskClaim_EveryReplaySeesTheSameWinner()
    {
        var chain = new LedgerTestChain();
        chain.Append(Claim("c1", "t", "node-c"));
        chain.Append(Claim("c2", "t", "node-a"), Claim("c1", "t", "node-b"));

        var replayed = LedgerTestChain.Replay(chain.Blocks);

        Assert.True(replayed.TryGetTaskWinner("t", out var winner));
        Assert.Equal("node-c", winner.NodeId);
        Assert.Equal(chain.Ledger.ComputeStateDigest(), replayed.ComputeStateDigest());
    }

    [Fact]
    public void VoterAdd_AddsAVoter_AndAddingAnExistingVoterIsRejected()
    {
        var chain = new LedgerTestChain("n1");

        var added = chain.Append(AddVoter("v1", "n2"));
        var again = chain.Append(AddVoter("v2", "n2"));

        Assert.Equal(EntryStatus.Applied, added.Outcomes[0].Status);
        Assert.Equal(EntryStatus.Rejected, again.Outcomes[0].Status);
        Assert.Equal(["n1", "n2"], chain.Ledger.Voters);
        Assert.True(chain.Ledger.IsVoter("n2"));
    }

    [Fact]
    public void VoterRemove_RemovesAVoter_ButNeverAnUnknownOrTheLastOne()
    {
        var chain = new LedgerTestChain("n1", "n2");

        var removed = chain.Append(RemoveVoter("r1", "n2"));
        var unknown = chain.Append(RemoveVoter("r2", "n9"));
        var last = chain.Append(RemoveVoter("r3", "n1"));

        Assert.Equal(EntryStatus.Applied, removed.Outcomes[0].Status);
        Assert.Equal(EntryStatus.Rejected, unknown.Outcomes[0].Status);
        Assert.Equal(EntryStatus.Rejected, last.Outcomes[0].Status);
        Assert.Equal(["n1"], chain.Ledger.Voters);
    }

    [Fact]
    public void SecondVoterChange_InOneBlock_IsRejected()
    {
        var chain = new LedgerTestChain("n1", "n2");

        var result = chain.Append(AddVoter("v1", "n3"), RemoveVoter("r1", "n1"));
        var next = chain.Append(RemoveVoter("r2", "n1"));

        Assert.Equal([EntryStatus.Applied, EntryStatus.Rejected], result.Outcomes.Select(o => o.Status));
        Assert.Contains("one voter change", result.Outcomes[1].Reason, StringComparison.Ordinal);
        Assert.Equal(EntryStatus.Applied, next.Outcomes[0].Status);
        Assert.Equal(["n2", "n3"], chain.Ledger.Voters);
    }

    [Fact]
    public void FieldDefine_SameTypeAgainIsAccepted_OtherTypeIsRejected()
    {
        var chain = new LedgerTestChain();

        var result = chain.Append(Define("f1", "rating", FieldType.Number), Define("f2", "rating", FieldType.Number), Define("f3", "rating", FieldType.String));

        Assert.Equal([EntryStatus.Applied, EntryStatus.Applied, EntryStatus.Rejected], result.Outcomes.Select(o => o.Status));
        Assert.True(chain.Ledger.TryGetField("rating", out var type));
        Assert.Equal(FieldType.Number, type);
    }

    [Theory]
    [InlineData(EntryKind.KvPut)]
    [InlineData(EntryKind.KvDelete)]
    [InlineData(EntryKind.FileAdd)]
    [InlineData(EntryKind.FileMeta)]
    [InlineData(EntryKind.FileDelete)]
    [InlineData(EntryKind.FieldDefine)]
    [InlineData(EntryKind.TaskClaim)]
    [InlineData(EntryKind.VoterAdd)]
    [InlineData(EntryKind.VoterRemove)]
    public void MalformedPayload_IsRejectedWithoutThrowing_AndEveryNodeRejectsItAlike(EntryKind kind)
    {
        var garbage = new[] { Make("bad-1", kind, []), Make("bad-2", kind, [1]), Make("bad-3", kind, [9, 1, 2, 3]), Make("bad-4", kind, [1, 255, 255, 0]) };
        var chain = new LedgerTestChain();

        var result = chain.Append([.. garbage, Put("ok", "k", "v")]);
        var other = LedgerTestChain.Replay(chain.Blocks);

        Assert.All(result.Outcomes.Take(4), o => Assert.Equal(EntryStatus.Rejected, o.Status));
        Assert.All(result.Outcomes.Take(4), o => Assert.StartsWith(kind.ToWireName(), o.Reason, StringComparison.Ordinal));
        Assert.Equal(EntryStatus.Applied, result.Outcomes[4].Status);
        Assert.Equal(chain.Ledger.ComputeStateDigest(), other.ComputeStateDigest());
    }

    [Fact]
    public void ValidPayloadUnderTheWrongKind_IsRejected()
    {
        var chain = new LedgerTestChain();
        var voterBytesAsFile = Make("x1", EntryKind.FileAdd, new VoterAddPayload("n9").Encode());

        var result = chain.Append(voterBytesAsFile);

        Assert.Equal(EntryStatus.Rejected, result.Outcomes[0].Status);
        Assert.False(chain.Ledger.IsVoter("n9"));
        Assert.Equal(0, chain.Ledger.FileCount);
    }

    [Fact]
    public void StateDigest_DiffersWhenAnyValueDiffers()
    {
        var a = new LedgerTestChain();
        var b = new LedgerTestChain();
        a.Append(Put("p1", "k", "v1"));
        b.Append(Put("p1", "k", "v2"));

        Assert.NotEqual(a.Ledger.ComputeStateDigest(), b.Ledger.ComputeStateDigest());
        Assert.Equal(a.Ledger.ComputeStateDigest(), LedgerTestChain.Replay(a.Blocks).ComputeStateDigest());
    }

    [Fact]
    public void BlockHashes_AreKeptByHeight()
    {
        var chain = new LedgerTestChain();
        chain.Append(Put("p1", "k", "v"));

        Assert.True(chain.Ledger.TryGetBlockHash(1, out var hash));
        Assert.Equal(chain.Blocks[1].Hash, hash);
        Assert.False(chain.Ledger.TryGetBlockHash(2, out _));
        Assert.False(chain.Ledger.TryGetBlockHash(-1, out _));
    }
}
