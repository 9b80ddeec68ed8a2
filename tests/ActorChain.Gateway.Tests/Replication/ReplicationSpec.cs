using System.Net;
using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Gateway.Replication;
using ActorChain.Tests.Harness;

namespace ActorChain.Gateway.Tests.Replication;

/// <summary>Upload on one node, fetch on any: every node keeps its own copy of every file's bytes.</summary>
public sealed class ReplicationSpec(ReplicationCluster cluster) : IClassFixture<ReplicationCluster>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Upload_OnOneNode_IsCopiedToEveryNode_WithoutAnyRead()
    {
        // Larger than one chunk, so the copy takes several fetches.
        var bytes = Api.RandomBytes((3 * ReplicationWire.MaxChunkSize) + 12_345, seed: 101);
        var id = Api.Sha256Hex(bytes);
        await Api.UploadAsync(cluster["n1"], bytes, "big.png");

        await Eventually.Until(
            () => cluster.Holds("n2", id) && cluster.Holds("n3", id),
            Wait,
            $"n2 and n3 did not copy {id} from n1 by themselves (n2: {cluster.Holds("n2", id)}, n3: {cluster.Holds("n3", id)})");
        Assert.Equal(bytes, await cluster["n2"].GetByteArrayAsync($"/api/files/{id}/content"));
        Assert.Equal(bytes, await cluster["n3"].GetByteArrayAsync($"/api/files/{id}/content"));
    }

    [Fact]
    public async Task Read_OfBytesThisNodeLost_CopiesThemFirst_AndServesThem()
    {
        var bytes = Api.RandomBytes(40_000, seed: 102);
        var id = Api.Sha256Hex(bytes);
        await Api.UploadAsync(cluster["n1"], bytes, "lost.png");
        await Eventually.Until(() => cluster.Holds("n2", id), Wait, $"n2 did not copy {id}");

        // The eager copy is done and will not run again: only the read can bring the bytes back.
        await cluster.Store("n2").DeleteAsync(Hash256.Parse(id));
        Assert.False(cluster.Holds("n2", id));

        Assert.Equal(bytes, await cluster["n2"].GetByteArrayAsync($"/api/files/{id}/content"));
        Assert.True(cluster.Holds("n2", id), "the read served the bytes without storing them");
    }

    [Fact]
    public async Task Delete_OnAnotherNode_RemovesTheBytesFromEveryNode()
    {
        var bytes = Api.RandomBytes(30_000, seed: 103);
        var id = Api.Sha256Hex(bytes);
        await Api.UploadAsync(cluster["n1"], bytes, "doomed.png");
        await Eventually.Until(() => ReplicationCluster.Names.All(n => cluster.Holds(n, id)), Wait, $"not every node copied {id}");

        using var deleted = await cluster["n2"].DeleteAsync($"/api/files/{id}");
        await Api.ExpectAsync(deleted, HttpStatusCode.OK);

        await Eventually.Until(
            () => !ReplicationCluster.Names.Any(n => cluster.Holds(n, id)),
            Wait,
            $"the bytes of deleted {id} stayed on {string.Join(", ", ReplicationCluster.Names.Where(n => cluster.Holds(n, id)))}");
        using var content = await cluster["n3"].GetAsync($"/api/files/{id}/content");
        Assert.Equal(HttpStatusCode.NotFound, content.StatusCode);
    }

    [Fact]
    public async Task Node_StoppedDuringAnUpload_CopiesTheBytesAfterItsRestart()
    {
        await cluster.Nodes.StopAsync("n3");
        var bytes = Api.RandomBytes(60_000, seed: 104);
        var id = Api.Sha256Hex(bytes);
        try
        {
            await Api.UploadAsync(cluster["n1"], bytes, "while-away.png");
            Assert.False(cluster.Holds("n3", id));
        }
        finally
        {
            await cluster.RestartAsync("n3");
        }

        await Eventually.Until(() => cluster.Holds("n3", id), Wait, $"n3 did not copy {id}, committed while it was down, after its restart");
        Assert.Equal(bytes, await cluster["n3"].GetByteArrayAsync($"/api/files/{id}/content"));
    }

    [Fact]
    public async Task Fetch_OverTheNetwork_WithBadOffsetLengthOrHash_IsAnsweredNotHere_AndTheNodeKeepsServing()
    {
        var bytes = Api.RandomBytes(10_000, seed: 105);
        var id = Api.Sha256Hex(bytes);
        await Api.UploadAsync(cluster["n1"], bytes, "probe.png");
        var sha = Hash256.Parse(id);
        var n1 = cluster.Nodes.RunOn("n2", n2 => n2.Remoting.Resolve(
            $"actorchain://{NodeSpec.ClusterId}@{cluster.Nodes.Spec("n1").RemoteAddress}/user/{FileReplicationOptions.ActorName}"));

        async Task<object> AskAsync(FetchChunk fetch) => await n1.Ask<object>(fetch, TimeSpan.FromSeconds(10));

        Assert.Equal(new ChunkNotHere(sha, NotHereReason.Invalid), await AskAsync(new FetchChunk(sha, -1, 100)));
        Assert.Equal(new ChunkNotHere(sha, NotHereReason.Invalid), await AskAsync(new FetchChunk(sha, 0, 0)));
        Assert.Equal(new ChunkNotHere(sha, NotHereReason.Invalid), await AskAsync(new FetchChunk(sha, 0, ReplicationWire.MaxChunkSize + 1)));
        Assert.Equal(new ChunkNotHere(sha, NotHereReason.Invalid), await AskAsync(new FetchChunk(sha, bytes.Length + 1, 100)));
        var unknown = Hash256.Compute("no such file"u8);
        Assert.Equal(new ChunkNotHere(unknown, NotHereReason.NotStored), await AskAsync(new FetchChunk(unknown, 0, 100)));

        var tail = Assert.IsType<ChunkReply>(await AskAsync(new FetchChunk(sha, 9_000, 5_000)));
        Assert.Equal((sha, 9_000L, (long)bytes.Length), (tail.Sha256, tail.Offset, tail.TotalLength));
        Assert.Equal(bytes[9_000..], tail.Data.ToArray());
    }
}
