namespace ActorChain.Chain.Tests;

public sealed class GenesisPayloadTests
{
    [Fact]
    public void EncodeDecode_RoundTripsClusterAndVoters()
    {
        var payload = new GenesisPayload("family-photos", ["n1", "nœud-2", "n3"]);

        var decoded = GenesisPayload.Decode(payload.Encode());

        Assert.Equal("family-photos", decoded.ClusterId);
        Assert.Equal(["n1", "nœud-2", "n3"], decoded.Voters);
    }

    [Fact]
    public void CreateGenesisBlock_IsAValidGenesisOfThatCluster()
    {
        var genesis = GenesisPayload.CreateGenesisBlock("c1", ["n1"], 5);

        Assert.Equal(0, genesis.Height);
        Assert.True(genesis.PrevHash.IsZero);
        Assert.Equal(GenesisPayload.EntryId, Assert.Single(genesis.Entries).Id);
        Assert.True(ChainVerifier.VerifyGenesis(genesis, "c1").IsValid);
    }

    [Fact]
    public void Genesis_OfDifferentClusters_HaveDifferentHashes()
    {
        Assert.NotEqual(GenesisPayload.CreateGenesisBlock("c1", ["n1"], 5).Hash, GenesisPayload.CreateGenesisBlock("c2", ["n1"], 5).Hash);
    }

    [Theory]
    [InlineData(new byte[] { 2, 1, (byte)'c', 1, 0, 1, (byte)'n' })]
    [InlineData(new byte[] { 1, 1, (byte)'c', 0, 0 })]
    [InlineData(new byte[] { 1, 1, (byte)'c', 2, 0, 1, (byte)'n', 1, (byte)'n' })]
    [InlineData(new byte[] { 1, 1, (byte)'c', 1, 0, 1, (byte)'n', 0 })]
    [InlineData(new byte[] { 1, 0 })]
    [InlineData(new byte[] { 1, 1, (byte)'c', 0xFF, 0xFF })]
    public void Decode_BadVersionNoVotersRepeatedVoterTrailingBytes_IsRejected(byte[] bytes)
    {
        Assert.Throws<ChainFormatException>(() => GenesisPayload.Decode(bytes));
    }

    [Fact]
    public void Encode_RepeatedVoter_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new GenesisPayload("c", ["n", "n"]).Encode());
    }
}
