namespace ActorChain.Actors;

/// <summary>Publish/subscribe by message type within one actor system (dead letters, unhandled messages, …).</summary>
public sealed class EventStream
{
    private readonly Lock _gate = new();
    private (IActorRef Subscriber, Type Channel)[] _subscriptions = [];

    /// <summary>Delivers every published event assignable to <paramref name="channel"/> to <paramref name="subscriber"/>.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_subscriptions, (subscriber, channel)) >= 0)
            {
                return false;
            }

            _subscriptions = [.. _subscriptions, (subscriber, channel)];
            return true;
        }
    }

    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (_gate)
        {
            var before = _subscriptions.Length;
            _subscriptions = [.. _subscriptions.Where(s => !(s.Subscriber.Equals(subscriber) && s.Channel == channel))];
            return _subscriptions.Length != before;
        }
    }

    public void Unsubscribe(IActorRef subscriber)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => !s.Subscriber.Equals(subscriber))];
        }
    }

    public void Publish(object @event)
    {
        foreach (var (subscriber, channel) in _subscriptions)
        {
            if (channel.IsInstanceOfType(@event))
            {
                subscriber.Tell(@event, null);
            }
        }
    }

    internal bool HasSubscribers => _subscriptions.Length != 0;
}
