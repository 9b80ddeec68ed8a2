namespace ActorChain.Actors.Tests;

/// <summary>Replies to every message with the same message.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m));
}

/// <summary>Forwards every message it receives to a target (with the original sender kept).</summary>
internal sealed class ForwardingActor : ReceiveActor
{
    public ForwardingActor(IActorRef target) => ReceiveAny(m => target.Forward(m));
}

/// <summary>Blocks in its handler until the test opens the gate; tells the probe when it got there.</summary>
internal sealed class Gate
{
    private readonly ManualResetEventSlim _open = new();

    public void Open() => _open.Set();

    public void WaitOpen()
    {
        if (!_open.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The test never opened the gate.");
        }
    }
}

internal sealed record Block(Gate Gate);

/// <summary>On Block: reports "blocked" and waits for the gate; echoes every other message to the probe.</summary>
internal sealed class BlockableActor : ReceiveActor
{
    public BlockableActor(IActorRef probe)
    {
        Receive<Block>(b =>
        {
            probe.Tell("blocked");
            b.Gate.WaitOpen();
        });
        ReceiveAny(m => probe.Tell(m));
    }
}
