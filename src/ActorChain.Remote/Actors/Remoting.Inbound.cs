using System.Diagnostics.CodeAnalysis;
using ActorChain.Actors;
using ActorChain.Remote.Transport;

namespace ActorChain.Remote.Actors;

public sealed partial class Remoting
{
    /// <summary>
    /// Runs on the peer's receive loop, in the order the peer sent. A local Tell only enqueues, so
    /// delivering inline keeps that order into each mailbox without holding the loop up.
    /// </summary>
    void IInboundHandler.OnEnvelope(PeerId from, in RemoteEnvelope envelope)
    {
        if (_system is not { } system)
        {
            Interlocked.Increment(ref _undecodable);
            return;
        }

        object message;
        try
        {
            message = Serializers.FromEnvelope(envelope);
        }
        catch (RemoteFormatException ex)
        {
            Interlocked.Increment(ref _undecodable);
            RemotingLog.Undecodable(_log, from, envelope.Recipient, ex.Message);
            return;
        }

        if (!TryParseLocalPath(envelope.Recipient, out var recipientPath))
        {
            Interlocked.Increment(ref _undecodable);
            RemotingLog.Undecodable(_log, from, envelope.Recipient, "the recipient is not an actor path");
            return;
        }

        var sender = ResolveSender(envelope.Sender);
        switch (message)
        {
            case RemotingProtocol.RemoteWatch:
                OnRemoteWatch(recipientPath, sender);
                return;
            case RemotingProtocol.RemoteUnwatch:
                OnRemoteUnwatch(recipientPath, sender);
                return;
            case RemotingProtocol.RemoteDeathWatchNotification notification:
                OnDeathWatchNotification(recipientPath, sender, notification.ExistenceConfirmed);
                return;
        }

        if (system.TryResolveLocal(recipientPath, out var recipient))
        {
            recipient.Tell(message, sender);
            return;
        }

        Interlocked.Increment(ref _unknownRecipients);
        RemotingLog.UnknownRecipient(_log, envelope.Recipient, message.GetType().Name, from);
        system.DeadLetters.Tell(new DeadLetter(message, sender ?? system.DeadLetters, new EmptyLocalActorRef(system, recipientPath)), null);
    }

    private bool TryParseLocalPath(string text, [NotNullWhen(true)] out ActorPath? path)
    {
        if (_localPaths.TryGetValue(text, out path))
        {
            return true;
        }

        if (!ActorPath.TryParse(text, out path))
        {
            return false;
        }

        if (!IsTemp(path))
        {
            if (_localPaths.Count >= MaxCachedPaths)
            {
                _localPaths.Clear();
            }

            _localPaths.TryAdd(text, path);
        }

        return true;
    }

    private IActorRef? ResolveSender(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (_remoteRefsByText.TryGetValue(text, out var cached))
        {
            return cached;
        }

        if (!ActorPath.TryParse(text, out var path))
        {
            return null;
        }

        var resolved = Resolve(path);
        if (resolved is RemoteActorRef remote && !IsTemp(path))
        {
            if (_remoteRefsByText.Count >= MaxCachedPaths)
            {
                _remoteRefsByText.Clear();
            }

            _remoteRefsByText.TryAdd(text, remote);
        }

        return resolved;
    }
}
