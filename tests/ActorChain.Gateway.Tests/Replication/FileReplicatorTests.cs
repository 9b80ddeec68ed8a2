using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Gateway.Replication;
using ActorChain.Persistence;
using ActorChain.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorChain.Gateway.Uploads.HttpGatewayProtocol;

namespace ActorChain.Gateway.Tests.Replication;

/// <summary>The replicator driven directly, with a fake chain and fake peers: what it accepts into the store.</summary>
public sealed class FileReplicatorTests : TestKitBase, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly string _root = Directory.CreateTempSubdirectory("actorchain-replicator-").FullName;
    private readonly FakeChain _chain = new();
    private readonly LocalFileStore _store;

    public FileReplicatorTests()
    {
        _store = new LocalFileStore(Path.Combine(_root, "files"));
    }

    private string TempDirectory => Path.Combine(_root, "incoming");

    [Fact]
    public void Copy_FromAPeerThatCorruptsTheBytes_IsRejected_AndTheNextPeerIsTried()
    {
        var bytes = Api.RandomBytes(10_000, seed: 201);
        var sha = Hash256.Compute(bytes);
        var corruptAsked = new TaskCompletionSource();
        var corrupt = Sys.ActorOf(Props.Create(() => new FakePeer(bytes, true, () => corruptAsked.TrySetResult())));
        var honest = Sys.ActorOf(Props.Create(() => new FakePeer(bytes, false, () => { })));
        _chain.AddFile(bytes, origin: "bad");

        StartReplicator(new ReplicaPeer("good", honest), new ReplicaPeer("bad", corrupt));

        AwaitCondition(() => File.Exists(_store.PathOf(sha)), Wait, message: "the honest peer's bytes were never stored");
        Assert.True(corruptAsked.Task.IsCompleted, "the entry's origin (the corrupting peer) was not asked first");
        Assert.Equal(bytes, File.ReadAllBytes(_store.PathOf(sha)));
    }

    [Fact]
    public async Task Copy_WhenEveryPeerCorruptsTheBytes_StoresNothing_AndTriesAgain()
    {
        var bytes = Api.RandomBytes(10_000, seed: 202);
        var sha = Hash256.Compute(bytes);
        var copies = 0;
        var retried = new TaskCompletionSource();
        var corrupt = Sys.ActorOf(Props.Create(() => new FakePeer(bytes, true, () =>
        {
            if (Interlocked.Increment(ref copies) == 2)
            {
                retried.TrySetResult();
            }
        })));
        _chain.AddFile(bytes, origin: "bad");

        StartReplicator(new ReplicaPeer("bad", corrupt));

        await Expect(retried.Task, "the replicator did not try again after the corrupted copy");
        Assert.Null(await _store.GetLengthAsync(sha));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_store.Directory), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Need_CompletesTrue_OnceThePeersBytesAreStored()
    {
        var bytes = Api.RandomBytes(3_000, seed: 203);
        var sha = Hash256.Compute(bytes);
        _chain.AddFile(bytes, origin: "gone");
        var replicator = StartReplicator(new ReplicaPeer("honest", Sys.ActorOf(Props.Create(() => new FakePeer(bytes, false, () => { })))));

        var ready = new TaskCompletionSource<bool>();
        replicator.Tell(new FileReplicatorProtocol.Need(sha, bytes.Length, null, ready), ActorRefs.NoSender);

        await Expect(ready.Task, "the read's wait was never completed");
        Assert.True(await ready.Task);
        Assert.Equal(bytes, File.ReadAllBytes(_store.PathOf(sha)));
    }

    [Fact]
    public void Peer_ThatLetAFetchTimeOut_IsTriedLast_EvenWhenItIsTheOrigin()
    {
        var first = Api.RandomBytes(2_000, seed: 206);
        var second = Api.RandomBytes(2_000, seed: 207);
        var silentAsked = 0;
        var silent = Sys.ActorOf(Props.Create(() => new SilentPeer(() => Interlocked.Increment(ref silentAsked))));
        var both = Sys.ActorOf(Props.Create(() => new FileServingPeer(first, second)));
        _chain.AddFile(first, origin: "silent");
        StartReplicator(null, TimeSpan.FromMilliseconds(300), new ReplicaPeer("silent", silent), new ReplicaPeer("honest", both));

        AwaitCondition(() => File.Exists(_store.PathOf(Hash256.Compute(first))), Wait, message: "the first file was never copied past the silent origin");
        Assert.Equal(1, Volatile.Read(ref silentAsked));

        _chain.AddFile(second, origin: "silent");
        AwaitCondition(() => File.Exists(_store.PathOf(Hash256.Compute(second))), Wait, message: "the second file was never copied");
        Assert.Equal(1, Volatile.Read(ref silentAsked));
    }

    [Fact]
    public async Task Delete_Decided_AsksTheGatewayActorToRemoveTheBlob()
    {
        var bytes = Api.RandomBytes(2_000, seed: 204);
        var sha = Hash256.Compute(bytes);
        var gateway = CreateTestProbe();
        _chain.AddFile(bytes, origin: "n2");
        StartReplicator(gateway.Ref, new ReplicaPeer("n2", Sys.ActorOf(Props.Create(() => new FakePeer(bytes, false, () => { })))));

        // Copied: the replicator has seen the chain up to the file.add, so the delete is news to it.
        AwaitCondition(() => File.Exists(_store.PathOf(sha)), Wait, message: "the file was never copied");
        _chain.DeleteFile(sha);

        Assert.Equal(sha, gateway.ExpectMsg<FileDeleted>(timeout: Wait).Sha256);
    }

    [Fact]
    public async Task Fetch_WithBadOffsetLengthOrHash_IsAnsweredNotHere_AndServingGoesOn()
    {
        var bytes = Api.RandomBytes(5_000, seed: 205);
        var sha = (await _store.PutAsync(new MemoryStream(bytes))).Sha256;
        var replicator = StartReplicator();

        foreach (var (fetch, reason) in new[]
        {
            (new FetchChunk(sha, -5, 10), NotHereReason.Invalid),
            (new FetchChunk(sha, 0, -1), NotHereReason.Invalid),
            (new FetchChunk(sha, 0, int.MaxValue), NotHereReason.Invalid),
            (new FetchChunk(sha, long.MaxValue, 10), NotHereReason.Invalid),
            (new FetchChunk(Hash256.Compute("other"u8), 0, 10), NotHereReason.NotStored),
        })
        {
            replicator.Tell(fetch, TestActor);
            Assert.Equal(new ChunkNotHere(fetch.Sha256, reason), ExpectMsg<ChunkNotHere>(timeout: Wait));
        }

        replicator.Tell(new FetchChunk(sha, 4_000, 4_000), TestActor);
        var reply = ExpectMsg<ChunkReply>(timeout: Wait);
        Assert.Equal(bytes[4_000..], reply.Data.ToArray());
        Assert.Equal(bytes.Length, reply.TotalLength);
    }

    void IDisposable.Dispose()
    {
        Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task Expect(Task task, string whatDidNotHappen)
    {
        try
        {
            await task.WaitAsync(Wait);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{whatDidNotHappen} within {Wait}");
        }
    }

    private IActorRef StartReplicator(params ReplicaPeer[] peers) => StartReplicator(null, peers);

    private IActorRef StartReplicator(IActorRef? gateway, params ReplicaPeer[] peers) => StartReplicator(gateway, TimeSpan.FromSeconds(5), peers);

    private IActorRef StartReplicator(IActorRef? gateway, TimeSpan chunkTimeout, params ReplicaPeer[] peers)
    {
        var options = new FileReplicationOptions
        {
            TempDirectory = TempDirectory,
            ChunkSize = 1024,
            PollInterval = TimeSpan.FromMilliseconds(50),
            MinBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(100),
            ChunkTimeout = chunkTimeout,
        };
        return Sys.ActorOf(FileReplicator.Props("n1", _chain, _store, new FixedPeers(peers), gateway, options, NullLogger.Instance));
    }
}
