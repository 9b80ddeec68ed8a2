using ActorChain.Actors;
using static ActorChain.Persistence.Actors.JournalProtocol;

namespace ActorChain.Persistence.Actors;

/// <summary>
/// Owns a block store as an actor: <see cref="Persist"/>, <see cref="TruncateAfter"/> and <see cref="ReadBlocks"/> are handled one at a
/// time in arrival order, each answered with a success or a failure (never by crashing the actor, so a
/// refused append does not lose the requests queued behind it). The store stays the caller's to dispose.
/// </summary>
public sealed class JournalActor : ReceiveActor
{
    public JournalActor(IBlockStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        ReceiveAsync<Persist>(async persist =>
        {
            var sender = Sender;
            var (from, to) = persist.Blocks.Count == 0 ? (store.Height + 1, store.Height) : (persist.Blocks[0].Height, persist.Blocks[^1].Height);
            try
            {
                await store.AppendAsync(persist.Blocks);
                sender.Tell(new PersistSucceeded(from, to, store.HeadHash), Self);
            }
            catch (Exception e)
            {
                sender.Tell(new PersistFailed(from, to, e), Self);
            }
        });
        ReceiveAsync<ReadBlocks>(async read =>
        {
            var sender = Sender;
            try
            {
                sender.Tell(new BlocksRead(read.FromHeight, await store.ReadRangeAsync(read.FromHeight, read.Count)), Self);
            }
            catch (Exception e)
            {
                sender.Tell(new ReadFailed(read.FromHeight, e), Self);
            }
        });
        ReceiveAsync<TruncateAfter>(async truncate =>
        {
            var sender = Sender;
            try
            {
                await store.TruncateAfterAsync(truncate.Height);
                sender.Tell(new Truncated(truncate.Height), Self);
            }
            catch (Exception e)
            {
                sender.Tell(new TruncateFailed(truncate.Height, e), Self);
            }
        });
    }

    public static Props Props(IBlockStore store) => global::ActorChain.Actors.Props.Create(() => new JournalActor(store));
}
