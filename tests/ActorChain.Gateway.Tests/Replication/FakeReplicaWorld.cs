using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Gateway.Replication;

namespace ActorChain.Gateway.Tests.Replication;

/// <summary>A chain with no consensus behind it: blocks appended by the test, applied to a real ledger.</summary>
internal sealed class FakeChain : IChainService
{
    private readonly Lock _lock = new();
    private readonly List<Block> _blocks = [];
    private readonly LedgerState _ledger = new();

    public FakeChain()
    {
        Append(GenesisPayload.CreateGenesisBlock("replication-test", ["n1"], 0));
    }

    public string NodeId => "n1";

    public ChainHead Head
    {
        get
        {
            lock (_lock)
            {
                return new ChainHead(_blocks[^1].Height, _blocks[^1].Hash);
            }
        }
    }

    public void AddFile(byte[] bytes, string origin)
    {
        var sha = Hash256.Compute(bytes);
        var payload = new FileAddPayload(sha.ToString(), sha, bytes.Length, "f.bin", "image/png").Encode();
        AppendEntry(new Entry($"add-{sha}", EntryKind.FileAdd, payload, origin, 0));
    }

    public void DeleteFile(Hash256 sha) =>
        AppendEntry(new Entry($"delete-{sha}", EntryKind.FileDelete, new FileDeletePayload(sha.ToString()).Encode(), "n1", 0));

    public Task<T> QueryAsync<T>(Func<LedgerState, T> query, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(query(_ledger));
        }
    }

    public Task<IReadOnlyList<Block>> GetBlocksAsync(long fromHeight, int count, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Block>>([.. _blocks.Skip((int)Math.Max(0, fromHeight)).Take(count)]);
        }
    }

    public Task<ChainHead> GetHeadAsync(CancellationToken cancellationToken = default) => Task.FromResult(Head);

    public Task<Block?> GetBlockAsync(long height, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(height >= 0 && height < _blocks.Count ? _blocks[(int)height] : null);
        }
    }

    public Task<CommitResult> SubmitAsync(Entry entry, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<byte[]?> ReadLocalAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<byte[]?> ReadLinearizableAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<long> WaitForReadIndexAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void UpdatePeerAddresses(IReadOnlyDictionary<string, string> addresses) => throw new NotSupportedException();

    private void AppendEntry(Entry entry)
    {
        lock (_lock)
        {
            Append(Block.Create(_blocks.Count, _blocks[^1].Hash, 0, "n1", [entry]));
        }
    }

    private void Append(Block block)
    {
        lock (_lock)
        {
            _ledger.Apply(block);
            _blocks.Add(block);
        }
    }
}

internal sealed class FixedPeers(params ReplicaPeer[] peers) : IReplicaPeers
{
    public IReadOnlyList<ReplicaPeer> Current() => peers;
}

/// <summary>
/// A peer replicator that holds some bytes and answers fetches from them, flipping one byte
/// of each chunk when <c>corrupt</c>. Counts how many copies (fetches at offset 0) it was asked for.
/// </summary>
internal sealed class FakePeer : ReceiveActor
{
    public FakePeer(byte[] bytes, bool corrupt, Action onCopyStarted)
    {
        Receive<FetchChunk>(fetch =>
        {
            if (fetch.Offset == 0)
            {
                onCopyStarted();
            }

            var length = (int)Math.Min(fetch.Length, bytes.Length - fetch.Offset);
            var data = bytes.AsSpan((int)fetch.Offset, length).ToArray();
            if (corrupt && data.Length > 0)
            {
                data[0] ^= 0xFF;
            }

            Sender.Tell(new ChunkReply(fetch.Sha256, fetch.Offset, bytes.Length, data), Self);
        });
    }
}

/// <summary>A peer that is reachable but never answers, as a node cut off mid-conversation looks.</summary>
internal sealed class SilentPeer : ReceiveActor
{
    public SilentPeer(Action onFetch) => Receive<FetchChunk>(_ => onFetch());
}

/// <summary>A peer holding several whole files, answering each fetch from the file with that hash.</summary>
internal sealed class FileServingPeer : ReceiveActor
{
    public FileServingPeer(params byte[][] files)
    {
        var byHash = files.ToDictionary(f => Hash256.Compute(f));
        Receive<FetchChunk>(fetch =>
        {
            if (!byHash.TryGetValue(fetch.Sha256, out var bytes))
            {
                Sender.Tell(new ChunkNotHere(fetch.Sha256, NotHereReason.NotStored), Self);
                return;
            }

            var length = (int)Math.Min(fetch.Length, bytes.Length - fetch.Offset);
            Sender.Tell(new ChunkReply(fetch.Sha256, fetch.Offset, bytes.Length, bytes.AsSpan((int)fetch.Offset, length).ToArray()), Self);
        });
    }
}
