namespace ActorChain.Actors;

/// <summary>
/// Set messages aside and take them back later in the order they were stashed. Unstashed messages
/// are processed before anything that is still in the mailbox. The stash survives a restart
/// (everything is unstashed); on stop its messages go to dead letters.
/// </summary>
public interface IStash
{
    /// <summary>Stashes the message being processed.</summary>
    void Stash();

    /// <summary>Puts the oldest stashed message back in front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts all stashed messages back in front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>Empties the stash and returns what was in it.</summary>
    IReadOnlyList<Envelope> ClearStash();

    int Count { get; }
}

/// <summary>Actors implementing this get <see cref="Stash"/> set by the runtime before the constructor's handlers run.</summary>
public interface IWithStash
{
    IStash Stash { get; set; }
}

internal sealed class ActorStash(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = [];

    public int Count => _stashed.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelopeForStash();
        _stashed.Add(current);
    }

    public void Unstash()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.PrependUser([first]);
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        cell.PrependUser(_stashed);
        _stashed.Clear();
    }

    public IReadOnlyList<Envelope> ClearStash()
    {
        var copy = _stashed.ToArray();
        _stashed.Clear();
        return copy;
    }
}
