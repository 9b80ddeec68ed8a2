using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class MailboxTests : TestKitBase
{
    [Fact]
    public void BoundedDropNew_WhenFull_SendsNewMessagesToDeadLetters()
    {
        var gate = new Gate();
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new BlockableActor(TestActor)).WithMailbox(MailboxOptions.Bounded(2)));
        actor.Tell(new Block(gate), TestActor);
        ExpectMsg("blocked");
        var before = Sys.DeadLetterCount;

        for (var i = 1; i <= 4; i++)
        {
            actor.Tell(i, TestActor);
        }

        Assert.Equal(3, deadLetters.ExpectMsg<DeadLetter>().Message);
        Assert.Equal(4, deadLetters.ExpectMsg<DeadLetter>().Message);
        Assert.Equal(before + 2, Sys.DeadLetterCount);
        gate.Open();
        ExpectMsg(1);
        ExpectMsg(2);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task BoundedBackPressure_WhenFull_BlocksTheSenderUntilThereIsRoom()
    {
        var gate = new Gate();
        var actor = Sys.ActorOf(Props.Create(() => new BlockableActor(TestActor))
            .WithMailbox(MailboxOptions.Bounded(2, MailboxOverflowStrategy.BackPressure, TimeSpan.FromSeconds(30))));
        var cell = ((LocalActorRef)actor).Cell;
        actor.Tell(new Block(gate), TestActor);
        ExpectMsg("blocked");
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        var before = Sys.DeadLetterCount;

        var blockedTell = Task.Factory.StartNew(() => actor.Tell(3, TestActor), TaskCreationOptions.LongRunning);
        AwaitCondition(() => cell.BackPressureWaiters == 1, message: "the third Tell waiting for room");
        Assert.False(blockedTell.IsCompleted);
        gate.Open();

        await blockedTell.WaitAsync(Dilated(TimeSpan.FromSeconds(5)));
        ExpectMsg(1);
        ExpectMsg(2);
        ExpectMsg(3);
        Assert.Equal(before, Sys.DeadLetterCount);
    }

    [Fact]
    public void BoundedBackPressure_PastThePushTimeout_SendsToDeadLetters()
    {
        var gate = new Gate();
        var actor = Sys.ActorOf(Props.Create(() => new BlockableActor(TestActor))
            .WithMailbox(MailboxOptions.Bounded(1, MailboxOverflowStrategy.BackPressure, TimeSpan.FromMilliseconds(50))));
        actor.Tell(new Block(gate), TestActor);
        ExpectMsg("blocked");
        actor.Tell(1, TestActor);
        var before = Sys.DeadLetterCount;

        actor.Tell(2, TestActor);

        Assert.Equal(before + 1, Sys.DeadLetterCount);
        gate.Open();
        ExpectMsg(1);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void TellToAStoppedActor_IsCountedAsDeadLetter()
    {
        var actor = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var before = Sys.DeadLetterCount;

        actor.Tell("a", TestActor);
        actor.Tell("b", TestActor);

        Assert.Equal(before + 2, Sys.DeadLetterCount);
        var first = deadLetters.ExpectMsg<DeadLetter>();
        Assert.Equal("a", first.Message);
        Assert.Equal(actor, first.Recipient);
        Assert.Equal(TestActor, first.Sender);
        Assert.Equal("b", deadLetters.ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void MessagesLeftInTheMailboxOnStop_GoToDeadLetters()
    {
        var gate = new Gate();
        var actor = Sys.ActorOf(Props.Create(() => new BlockableActor(TestActor)));
        actor.Tell(new Block(gate), TestActor);
        ExpectMsg("blocked");
        actor.Tell(PoisonPill.Instance, TestActor);
        actor.Tell("left behind", TestActor);
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));

        gate.Open();

        Assert.Equal("left behind", deadLetters.ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void SystemMessages_OvertakeQueuedUserMessages()
    {
        var gate = new Gate();
        var actor = Sys.ActorOf(Props.Create(() => new BlockableActor(TestActor)));
        Watch(actor);
        actor.Tell(new Block(gate), TestActor);
        ExpectMsg("blocked");
        actor.Tell("queued", TestActor);

        Sys.Stop(actor);
        gate.Open();

        ExpectTerminated(actor);
    }

    [Fact]
    public void LowThroughput_StillDeliversEverythingInOrder()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)).WithMailbox(new MailboxOptions(Throughput: 1)));

        for (var i = 0; i < 200; i++)
        {
            actor.Tell(i, TestActor);
        }

        for (var i = 0; i < 200; i++)
        {
            ExpectMsg(i);
        }
    }
}
