namespace ActorChain.Actors;

public class ActorException : Exception
{
    public ActorException()
    {
    }

    public ActorException(string message)
        : base(message)
    {
    }

    public ActorException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>An actor name that is malformed or already taken by a sibling.</summary>
public sealed class InvalidActorNameException : ActorException
{
    public InvalidActorNameException()
    {
    }

    public InvalidActorNameException(string message)
        : base(message)
    {
    }

    public InvalidActorNameException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>The constructor, PreStart or PostRestart threw; the default decider stops such an actor.</summary>
public sealed class ActorInitializationException : ActorException
{
    public ActorInitializationException()
    {
    }

    public ActorInitializationException(string message)
        : base(message)
    {
    }

    public ActorInitializationException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>Thrown by the runtime when an actor does not handle a <see cref="Terminated"/> it watched for.</summary>
public sealed class DeathPactException : ActorException
{
    public DeathPactException()
    {
    }

    public DeathPactException(string message)
        : base(message)
    {
    }

    public DeathPactException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>An Ask got no reply in time.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException()
    {
    }

    public AskTimeoutException(string message)
        : base(message)
    {
    }

    public AskTimeoutException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
