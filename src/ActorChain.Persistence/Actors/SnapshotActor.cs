using ActorChain.Actors;
using static ActorChain.Persistence.Actors.SnapshotProtocol;

namespace ActorChain.Persistence.Actors;

/// <summary>
/// Owns a <see cref="SnapshotStore"/> as an actor: saves and loads are handled one at a time in arrival
/// order and answered with a success or a failure, as Akka.Persistence's snapshot store does.
/// </summary>
public sealed class SnapshotActor : ReceiveActor
{
    public SnapshotActor(SnapshotStore snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ReceiveAsync<SaveSnapshot>(async save =>
        {
            var sender = Sender;
            try
            {
                await snapshots.SaveAsync(save.Height, save.Snapshot);
                sender.Tell(new SaveSnapshotSucceeded(save.Height), Self);
            }
            catch (Exception e)
            {
                sender.Tell(new SaveSnapshotFailed(save.Height, e), Self);
            }
        });
        ReceiveAsync<LoadSnapshot>(async load =>
        {
            var sender = Sender;
            try
            {
                sender.Tell(new SnapshotLoaded(await snapshots.LoadLatestAsync(load.MaxHeight)), Self);
            }
            catch (Exception e)
            {
                sender.Tell(new LoadSnapshotFailed(e), Self);
            }
        });
    }

    public static Props Props(SnapshotStore snapshots) => global::ActorChain.Actors.Props.Create(() => new SnapshotActor(snapshots));
}
