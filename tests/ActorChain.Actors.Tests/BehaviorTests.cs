using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class BehaviorTests : TestKitBase
{
    [Fact]
    public void UnstashAll_DeliversStashedMessagesInOrderBeforeNewerOnes()
    {
        var gate = new Gate();
        var actor = Sys.ActorOf(Props.Create(() => new StashingActor(TestActor)));

        actor.Tell(new Block(gate), TestActor);
        ExpectMsg("blocked");
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell(3, TestActor);
        actor.Tell("open", TestActor);
        actor.Tell(4, TestActor);
        gate.Open();

        ExpectMsg("opened");
        ExpectMsg(1);
        ExpectMsg(2);
        ExpectMsg(3);
        ExpectMsg(4);
    }

    [Fact]
    public void Stash_SurvivesARestart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new StashingActor(TestActor)));

        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("crash", TestActor);
        ExpectMsg("restarted");
        actor.Tell("open", TestActor);

        ExpectMsg("opened");
        ExpectMsg(1);
        ExpectMsg(2);
    }

    [Fact]
    public void Stash_OnStop_GoesToDeadLetters()
    {
        var actor = Sys.ActorOf(Props.Create(() => new StashingActor(TestActor)));
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));

        actor.Tell(1, TestActor);
        actor.Tell(PoisonPill.Instance, TestActor);

        Assert.Equal(1, deadLetters.ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void BecomeStacked_ThenUnbecome_ReturnsToThePreviousBehavior()
    {
        var actor = Sys.ActorOf(Props.Create(() => new MoodActor(TestActor)));

        actor.Tell("mood", TestActor);
        ExpectMsg("happy");
        actor.Tell("push-angry", TestActor);
        actor.Tell("mood", TestActor);
        ExpectMsg("angry");
        actor.Tell("pop", TestActor);
        actor.Tell("mood", TestActor);

        ExpectMsg("happy");
    }

    [Fact]
    public void Become_ReplacesTheCurrentBehavior()
    {
        var actor = Sys.ActorOf(Props.Create(() => new MoodActor(TestActor)));

        actor.Tell("push-angry", TestActor);
        actor.Tell("become-calm", TestActor);
        actor.Tell("mood", TestActor);
        ExpectMsg("calm");
        actor.Tell("pop", TestActor);
        actor.Tell("mood", TestActor);

        ExpectMsg("happy");
    }

    [Fact]
    public void UntypedActor_BecomeSwitchesHandlers()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Toggle(TestActor)));

        actor.Tell("x", TestActor);
        actor.Tell("x", TestActor);
        actor.Tell("x", TestActor);

        ExpectMsg("off");
        ExpectMsg("on");
        ExpectMsg("off");
    }

    private sealed class StashingActor : ReceiveActor, IWithStash
    {
        private readonly IActorRef _report;

        public StashingActor(IActorRef report)
        {
            _report = report;
            Receive<Block>(b =>
            {
                report.Tell("blocked");
                b.Gate.WaitOpen();
            });
            Receive<string>(
                _ =>
                {
                    report.Tell("opened");
                    Stash.UnstashAll();
                    Become(() => ReceiveAny(m => report.Tell(m)));
                },
                m => m == "open");
            Receive<string>(_ => throw new InvalidOperationException("crash"), m => m == "crash");
            ReceiveAny(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;

        protected override void PostRestart(Exception reason) => _report.Tell("restarted");
    }

    private sealed class MoodActor : ReceiveActor
    {
        public MoodActor(IActorRef report)
        {
            Receive<string>(_ => report.Tell("happy"), m => m == "mood");
            Receive<string>(_ => BecomeStacked(() => Angry(report)), m => m == "push-angry");
        }

        private void Angry(IActorRef report)
        {
            Receive<string>(_ => report.Tell("angry"), m => m == "mood");
            Receive<string>(_ => UnbecomeStacked(), m => m == "pop");
            Receive<string>(
                _ => Become(() =>
                {
                    Receive<string>(_ => report.Tell("calm"), m => m == "mood");
                    Receive<string>(_ => UnbecomeStacked(), m => m == "pop");
                }),
                m => m == "become-calm");
        }
    }

    private sealed class Toggle : UntypedActor
    {
        private readonly IActorRef _report;

        public Toggle(IActorRef report) => _report = report;

        protected override void OnReceive(object message)
        {
            _report.Tell("off");
            Become(On);
        }

        private void On(object message)
        {
            _report.Tell("on");
            Become(OnReceive);
        }
    }
}
