using ActorChain.Actors;

namespace ActorChain.Remote.Actors;

public sealed partial class Remoting
{
    /// <summary>
    /// Serializes and queues synchronously, so a sender's messages reach the peer's queue in the order
    /// it told them. A message that cannot go out is an error at the sender, never an exception.
    /// </summary>
    internal void Send(RemoteActorRef recipient, object message, IActorRef? sender)
    {
        RemoteEnvelope envelope;
        try
        {
            envelope = Serializers.ToEnvelope(recipient.Path.ToString(), WirePath(sender), message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Unsendable(recipient, message, sender, ex.Message);
            return;
        }

        SendEnvelope(recipient, message, sender, envelope);
    }

    private void SendSystemMessage(RemoteActorRef recipient, string senderPath, object message)
    {
        RemoteEnvelope envelope;
        try
        {
            envelope = Serializers.ToEnvelope(recipient.Path.ToString(), senderPath, message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Unsendable(recipient, message, null, ex.Message);
            return;
        }

        SendEnvelope(recipient, message, null, envelope);
    }

    private void SendEnvelope(RemoteActorRef recipient, object message, IActorRef? sender, in RemoteEnvelope envelope)
    {
        try
        {
            // False means the peer's queue is full: the transport counts and logs that loss (at-most-once).
            Transport.Send(recipient.RemoteAddress, envelope);
        }
        catch (ArgumentException ex)
        {
            Unsendable(recipient, message, sender, ex.Message);
        }
        catch (ObjectDisposedException)
        {
            Unsendable(recipient, message, sender, "remoting is shut down");
        }
    }

    private void Unsendable(RemoteActorRef recipient, object message, IActorRef? sender, string reason)
    {
        Interlocked.Increment(ref _unsendable);
        RemotingLog.CannotSend(_log, message.GetType().Name, recipient.Path, reason);
        if (_system is { } system)
        {
            system.DeadLetters.Tell(new DeadLetter(message, sender ?? system.DeadLetters, recipient), null);
        }
    }
}
