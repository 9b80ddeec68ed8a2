using ActorChain.Chain;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Paxos;

/// <summary>
/// A reply and, when the acceptor's state changed, the records to persist before sending it;
/// <see cref="Refusal"/> says why a proposed block was refused as invalid (for the operator's log).
/// </summary>
internal readonly record struct AcceptorStep(IPaxosMessage Reply, AcceptorRecord? Record, AcceptorRecord? NextRecord = null, string? Refusal = null);

/// <summary>
/// The acceptor role for every height of one node: promised[h] and accepted[h] = (ballot, block).
/// Pure: the caller passes the decided chain, persists <see cref="AcceptorStep.Record"/> before
/// sending <see cref="AcceptorStep.Reply"/>, and feeds the records back through
/// <see cref="Restore"/> after a restart.
/// </summary>
/// <remarks>
/// Only height head+1 is open: a lower height is decided (the answer is the decided block) and a
/// higher one cannot be judged without block h-1. A repeated Prepare or Accept of the ballot
/// already promised is answered again without a new record, so a duplicated message is harmless.
/// </remarks>
internal sealed class AcceptorState
{
    private readonly Dictionary<long, Slot> _slots = [];

    /// <summary>The highest round any ballot of this node used or saw persisted; the next own ballot is above it.</summary>
    public long HighestOwnRound { get; private set; }

    public int OpenHeights => _slots.Count;

    public static AcceptorState Restore(IEnumerable<AcceptorRecord> records, string selfId)
    {
        ArgumentNullException.ThrowIfNull(records);
        var state = new AcceptorState();
        foreach (var record in records)
        {
            if (string.Equals(record.Ballot.NodeId, selfId, StringComparison.Ordinal))
            {
                state.HighestOwnRound = Math.Max(state.HighestOwnRound, record.Ballot.Round);
            }

            if (record.Kind == AcceptorRecordKind.RoundUsed)
            {
                continue;
            }

            var slot = state.GetSlot(record.Height);
            slot.Promised = Ballot.Max(slot.Promised, record.Ballot);
            if (record.Kind == AcceptorRecordKind.Accepted && (slot.AcceptedBlock is null || record.Ballot >= slot.AcceptedBallot))
            {
                slot.AcceptedBallot = record.Ballot;
                slot.AcceptedBlock = record.Block;
            }
        }

        return state;
    }

    public Ballot GetPromised(long height) => _slots.TryGetValue(height, out var slot) ? slot.Promised : Ballot.Zero;

    public (Ballot Ballot, Block Block)? GetAccepted(long height) =>
        _slots.TryGetValue(height, out var slot) && slot.AcceptedBlock is { } block ? (slot.AcceptedBallot, block) : null;

    /// <summary>The highest height with an accepted block (0: none). Only open heights keep slots, so this is a short scan.</summary>
    public long HighestAcceptedHeight()
    {
        var highest = 0L;
        foreach (var (height, slot) in _slots)
        {
            if (slot.AcceptedBlock is not null && height > highest)
            {
                highest = height;
            }
        }

        return highest;
    }

    /// <summary>
    /// A ballot for this node's next attempt, above <paramref name="atLeastAbove"/> and every round
    /// it used before; persist the record before sending the Prepare, so a restart never reuses it.
    /// </summary>
    public (Ballot Ballot, AcceptorRecord Record) NextBallot(string selfId, long atLeastAbove)
    {
        HighestOwnRound = Math.Max(HighestOwnRound, atLeastAbove) + 1;
        var ballot = new Ballot(HighestOwnRound, selfId);
        return (ballot, AcceptorRecord.RoundUsed(ballot));
    }

    public AcceptorStep Handle(Prepare prepare, IDecidedChainView chain)
    {
        if (Closed(prepare.Height, prepare.Ballot, chain) is { } closed)
        {
            return new(closed, null);
        }

        var slot = GetSlot(prepare.Height);
        if (prepare.Ballot < slot.Promised)
        {
            return new(new Reject(prepare.Height, prepare.Ballot, slot.Promised), null);
        }

        AcceptorRecord? record = null;
        if (prepare.Ballot > slot.Promised)
        {
            slot.Promised = prepare.Ballot;
            record = AcceptorRecord.Promised(prepare.Height, prepare.Ballot);
        }

        var promise = slot.AcceptedBlock is { } block
            ? new Promise(prepare.Height, prepare.Ballot, slot.AcceptedBallot, block)
            : new Promise(prepare.Height, prepare.Ballot, null, null);
        return new(promise, record);
    }

    public AcceptorStep Handle(Accept accept, IDecidedChainView chain)
    {
        if (Closed(accept.Height, accept.Ballot, chain) is { } closed)
        {
            return new(closed, null);
        }

        var slot = GetSlot(accept.Height);
        if (accept.Ballot < slot.Promised)
        {
            return new(new Reject(accept.Height, accept.Ballot, slot.Promised), null);
        }

        if (slot.AcceptedBlock is { } already && slot.AcceptedBallot == accept.Ballot)
        {
            // A ballot carries one value; a second, different block under it is a broken proposer.
            return already.Hash == accept.Block.Hash
                ? Acknowledge(accept, null)
                : new(new Reject(accept.Height, accept.Ballot, slot.Promised, RejectReason.InvalidBlock), null);
        }

        if (!chain.TryGetBlock(accept.Height - 1, out var previous) || accept.Block.Height != accept.Height)
        {
            return new(new Reject(accept.Height, accept.Ballot, slot.Promised, RejectReason.InvalidBlock), null);
        }

        // In a chain with signed blocks this checks the proposer's signature too: a block a voter did not sign is never accepted.
        var check = ChainVerifier.VerifyNext(previous, accept.Block, chain.VoterKeys);
        if (!check.IsValid)
        {
            return new(new Reject(accept.Height, accept.Ballot, slot.Promised, RejectReason.InvalidBlock), null, Refusal: check.Reason);
        }

        slot.Promised = accept.Ballot;
        slot.AcceptedBallot = accept.Ballot;
        slot.AcceptedBlock = accept.Block;
        return Acknowledge(accept, AcceptorRecord.Accepted(accept.Height, accept.Ballot, accept.Block));
    }

    // A promise at h+1 is plain phase 1 of that instance: it needs no block h (only accepting there
    // does), and what this acceptor accepted at h+1, if anything, travels with it to be adopted.
    private AcceptorStep Acknowledge(Accept accept, AcceptorRecord? record)
    {
        if (!accept.PrepareNext)
        {
            return new(new Accepted(accept.Height, accept.Ballot), record);
        }

        var next = GetSlot(accept.Height + 1);
        if (accept.Ballot < next.Promised)
        {
            return new(new Accepted(accept.Height, accept.Ballot), record);
        }

        AcceptorRecord? nextRecord = null;
        if (accept.Ballot > next.Promised)
        {
            next.Promised = accept.Ballot;
            nextRecord = AcceptorRecord.Promised(accept.Height + 1, accept.Ballot);
        }

        var promise = next.AcceptedBlock is { } block ? new NextPromise(next.AcceptedBallot, block) : new NextPromise(null, null);
        return new(new Accepted(accept.Height, accept.Ballot, promise), record, nextRecord);
    }

    /// <summary>Forgets every height up to the decided head: those are answered from the chain now.</summary>
    public void Prune(long decidedHead)
    {
        if (_slots.Count == 0)
        {
            return;
        }

        foreach (var height in _slots.Keys.Where(h => h <= decidedHead).ToList())
        {
            _slots.Remove(height);
        }
    }

    /// <summary>The records that rebuild this state (for compacting the acceptor log after pruning).</summary>
    public IReadOnlyList<AcceptorRecord> Snapshot(string selfId)
    {
        var records = new List<AcceptorRecord>();
        if (HighestOwnRound > 0)
        {
            records.Add(AcceptorRecord.RoundUsed(new Ballot(HighestOwnRound, selfId)));
        }

        foreach (var (height, slot) in _slots.OrderBy(s => s.Key))
        {
            if (slot.AcceptedBlock is { } block)
            {
                records.Add(AcceptorRecord.Accepted(height, slot.AcceptedBallot, block));
            }

            if (slot.Promised > slot.AcceptedBallot || slot.AcceptedBlock is null)
            {
                records.Add(AcceptorRecord.Promised(height, slot.Promised));
            }
        }

        return records;
    }

    private static IPaxosMessage? Closed(long height, Ballot ballot, IDecidedChainView chain)
    {
        var head = chain.Head;
        if (height <= head)
        {
            return chain.TryGetBlock(height, out var decided)
                ? new AlreadyDecided(height, decided)
                : new Behind(height, ballot, head);
        }

        return height > head + 1 ? new Behind(height, ballot, head) : null;
    }

    private Slot GetSlot(long height)
    {
        if (!_slots.TryGetValue(height, out var slot))
        {
            slot = new Slot();
            _slots.Add(height, slot);
        }

        return slot;
    }

    private sealed class Slot
    {
        public Ballot Promised { get; set; } = Ballot.Zero;

        public Ballot AcceptedBallot { get; set; } = Ballot.Zero;

        public Block? AcceptedBlock { get; set; }
    }
}
