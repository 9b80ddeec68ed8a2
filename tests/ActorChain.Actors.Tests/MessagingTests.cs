using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class MessagingTests : TestKitBase
{
    [Fact]
    public void Tell_FromOneSender_ArrivesInSendOrder()
    {
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));

        for (var i = 0; i < 1000; i++)
        {
            forwarder.Tell(i);
        }

        for (var i = 0; i < 1000; i++)
        {
            ExpectMsg(i);
        }
    }

    [Fact]
    public void Tell_FromEightConcurrentSenders_LosesAndReordersNothingPerSender()
    {
        const int senders = 8;
        const int perSender = 100_000;
        var receiver = Sys.ActorOf(Props.Create(() => new SequenceChecker(senders, perSender, TestActor)));

        var threads = Enumerable.Range(0, senders).Select(s => new Thread(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                receiver.Tell(new Sequenced(s, i));
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        var result = ExpectMsg<SequenceResult>(timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(senders * perSender, result.Received);
        Assert.Equal(0, result.OutOfOrder);
    }

    [Fact]
    public void Tell_WithoutSenderInsideActor_UsesSelfAsImplicitSender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var asker = Sys.ActorOf(Props.Create(() => new ImplicitSenderActor(echo, TestActor)));

        asker.Tell("go");

        var reply = ExpectMsg<(object Message, IActorRef Sender)>();
        Assert.Equal("ping", reply.Message);
        Assert.Equal(echo, reply.Sender);
    }

    [Fact]
    public void Tell_WithNoSender_SenderIsDeadLetters()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var before = Sys.DeadLetterCount;

        echo.Tell("hello", ActorRefs.NoSender);

        AwaitCondition(() => Sys.DeadLetterCount == before + 1, message: "the echo's reply reaching dead letters");
    }

    [Fact]
    public void Forward_KeepsTheOriginalSender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(echo)));

        forwarder.Tell("ping", TestActor);

        ExpectMsg("ping");
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void PoisonPill_StopsAfterEarlierMessages()
    {
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));
        Watch(forwarder);

        forwarder.Tell(1);
        forwarder.Tell(2);
        forwarder.Tell(PoisonPill.Instance);
        forwarder.Tell(3);

        ExpectMsg(1);
        ExpectMsg(2);
        ExpectTerminated(forwarder);
    }

    [Fact]
    public void UnhandledMessage_IsPublishedOnTheEventStream()
    {
        var picky = Sys.ActorOf(Props.Create(() => new PickyActor()));
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(UnhandledMessage));

        picky.Tell(42, TestActor);

        var unhandled = probe.ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(picky, unhandled.Recipient);
        Assert.Equal(TestActor, unhandled.Sender);
    }

    [Fact]
    public void ActorCreatedWithNew_Throws()
    {
        Assert.Throws<ActorInitializationException>(() => new EchoActor());
    }

    [Fact]
    public void PropsWithArguments_CreatesThroughMatchingConstructor()
    {
        var forwarder = Sys.ActorOf(Props.Create<ForwardingActor>(TestActor));

        forwarder.Tell("x");

        ExpectMsg("x");
    }

    private sealed record Sequenced(int Sender, int Seq);

    private sealed record SequenceResult(int Received, int OutOfOrder);

    private sealed class SequenceChecker : ReceiveActor
    {
        public SequenceChecker(int senders, int perSender, IActorRef report)
        {
            var next = new int[senders];
            var received = 0;
            var outOfOrder = 0;
            Receive<Sequenced>(m =>
            {
                if (m.Seq != next[m.Sender])
                {
                    outOfOrder++;
                }

                next[m.Sender] = m.Seq + 1;
                if (++received == senders * perSender)
                {
                    report.Tell(new SequenceResult(received, outOfOrder));
                }
            });
        }
    }

    private sealed class ImplicitSenderActor : ReceiveActor
    {
        public ImplicitSenderActor(IActorRef echo, IActorRef report)
        {
            Receive<string>(_ => echo.Tell("ping"), m => m == "go");
            ReceiveAny(m => report.Tell((m, Sender)));
        }
    }

    private sealed class PickyActor : ReceiveActor
    {
        public PickyActor() => Receive<string>(_ => { });
    }
}
