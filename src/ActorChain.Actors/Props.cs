namespace ActorChain.Actors;

public enum MailboxOverflowStrategy
{
    /// <summary>A message that finds the mailbox full goes to dead letters.</summary>
    DropNew,

    /// <summary>
    /// <c>Tell</c> blocks the sending thread until there is room or <see cref="MailboxOptions.PushTimeout"/>
    /// has passed (then the message goes to dead letters), as Akka's bounded mailbox with a push timeout.
    /// An actor telling its own full mailbox is never blocked: the message goes to dead letters.
    /// </summary>
    BackPressure,
}

/// <summary>Mailbox of an actor. The default is unbounded with the system's throughput.</summary>
/// <param name="Capacity">Null for an unbounded mailbox.</param>
/// <param name="Overflow">What a Tell to a full bounded mailbox does.</param>
/// <param name="Throughput">Messages processed per turn on a pool thread; null for the system's default.</param>
/// <param name="PushTimeout">How long a back-pressured Tell may block; null for 10 s.</param>
public sealed record MailboxOptions(
    int? Capacity = null,
    MailboxOverflowStrategy Overflow = MailboxOverflowStrategy.DropNew,
    int? Throughput = null,
    TimeSpan? PushTimeout = null)
{
    public static readonly MailboxOptions Unbounded = new();

    public static MailboxOptions Bounded(int capacity, MailboxOverflowStrategy overflow = MailboxOverflowStrategy.DropNew, TimeSpan? pushTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new MailboxOptions(capacity, overflow, null, pushTimeout);
    }
}

/// <summary>The recipe for creating (and re-creating on restart) an actor.</summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, MailboxOptions mailbox, SupervisorStrategy? strategy)
    {
        ActorType = actorType;
        _factory = factory;
        Mailbox = mailbox;
        SupervisorStrategy = strategy;
    }

    public Type ActorType { get; }

    public MailboxOptions Mailbox { get; }

    /// <summary>Overrides the actor's own <c>SupervisorStrategy()</c> for its children when set.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary><c>Props.Create(() => new ChainActor(store, settings))</c>: the factory runs again on every restart.</summary>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, MailboxOptions.Unbounded, null);
    }

    /// <summary>Creates <typeparamref name="TActor"/> through the constructor that takes <paramref name="args"/>.</summary>
    public static Props Create<TActor>(params object?[] args)
        where TActor : ActorBase
    {
        var copy = args.Length == 0 ? args : (object?[])args.Clone();
        return new Props(typeof(TActor), () => (ActorBase)Activator.CreateInstance(typeof(TActor), copy)!, MailboxOptions.Unbounded, null);
    }

    public Props WithMailbox(MailboxOptions mailbox) => new(ActorType, _factory, mailbox, SupervisorStrategy);

    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => new(ActorType, _factory, Mailbox, strategy);

    internal ActorBase NewActor() => _factory();

    public override string ToString() => $"Props({ActorType.Name})";
}
