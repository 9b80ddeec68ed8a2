using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class TimerTests : TestKitBase
{
    [Fact]
    public void SingleTimer_FiresOnce()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));

        actor.Tell(new StartSingle("k", "tick", TimeSpan.FromMilliseconds(20)), TestActor);

        ExpectMsg("tick");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        actor.Tell(new IsActive("k"), TestActor);
        ExpectMsg(false);
    }

    [Fact]
    public void CancelledTimer_WhoseTickIsAlreadyQueued_IsNeverDelivered()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));

        actor.Tell(new StartThenCancelAfterFire("k", "tick"), TestActor);

        ExpectMsg("cancelled");
        ExpectMsg("sentinel");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void StartingATimerWithAKeyInUse_ReplacesTheOldOne()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));

        actor.Tell(new StartThenReplaceAfterFire("k"), TestActor);

        ExpectMsg("replaced");
        ExpectMsg("sentinel");
        ExpectMsg("new");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void PeriodicTimer_FiresRepeatedlyUntilCancelled()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));

        actor.Tell(new StartPeriodic("p", "tick", TimeSpan.FromMilliseconds(20)), TestActor);
        ExpectMsg("tick");
        ExpectMsg("tick");
        ExpectMsg("tick");
        actor.Tell(new CancelTimer("p"), TestActor);

        FishForMessage<string>(m => m == "cancelled");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Timers_AreCancelledWhenTheActorStops()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartPeriodic("p", "tick", TimeSpan.FromMilliseconds(20)), TestActor);
        ExpectMsg("tick");
        var timers = ((LocalActorRef)actor).Cell.TimersIfCreated!;
        Watch(actor);

        Sys.Stop(actor);

        FishForMessage<Terminated>(t => t.ActorRef.Equals(actor));
        var fired = timers.FiredCount;
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(fired, timers.FiredCount);
    }

    [Fact]
    public void ReceiveTimeout_IsDeliveredAfterIdleness()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor)));

        actor.Tell(TimeSpan.FromMilliseconds(50), TestActor);

        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void ReceiveTimeout_SwitchedOff_IsNotDelivered()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor)));
        actor.Tell(TimeSpan.FromMilliseconds(50), TestActor);
        ExpectMsg<ReceiveTimeout>();

        actor.Tell("off", TestActor);

        ExpectMsg("off");
        while (ReceiveOne(TimeSpan.FromMilliseconds(300)) is ReceiveTimeout)
        {
        }

        Assert.Null(ReceiveOne(TimeSpan.FromMilliseconds(300)));
    }

    private sealed record StartSingle(string Key, string Message, TimeSpan Delay);

    private sealed record StartPeriodic(string Key, string Message, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed record IsActive(string Key);

    private sealed record StartThenCancelAfterFire(string Key, string Message);

    private sealed record StartThenReplaceAfterFire(string Key);

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef report)
        {
            Receive<StartSingle>(m => Timers.StartSingleTimer(m.Key, m.Message, m.Delay));
            Receive<StartPeriodic>(m => Timers.StartPeriodicTimer(m.Key, m.Message, m.Interval));
            Receive<CancelTimer>(m =>
            {
                Timers.Cancel(m.Key);
                report.Tell("cancelled");
            });
            Receive<IsActive>(m => report.Tell(Timers.IsTimerActive(m.Key)));
            Receive<StartThenCancelAfterFire>(m =>
            {
                Timers.StartSingleTimer(m.Key, m.Message, TimeSpan.Zero);
                WaitUntilFired(1);
                Timers.Cancel(m.Key);
                report.Tell("cancelled");
                Self.Tell("sentinel");
            });
            Receive<StartThenReplaceAfterFire>(m =>
            {
                Timers.StartSingleTimer(m.Key, "old", TimeSpan.Zero);
                WaitUntilFired(1);
                Timers.StartSingleTimer(m.Key, "new", TimeSpan.FromMilliseconds(100));
                report.Tell("replaced");
                Self.Tell("sentinel");
            });
            Receive<string>(m => report.Tell(m));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        /// <summary>Waits (bounded) until the timer's tick is in the mailbox, so cancelling must drop a queued tick.</summary>
        private void WaitUntilFired(int count)
        {
            var scheduler = (TimerScheduler)Timers;
            if (!SpinWait.SpinUntil(() => scheduler.FiredCount >= count, TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("The timer never fired.");
            }
        }
    }

    private sealed class IdleActor : ReceiveActor
    {
        public IdleActor(IActorRef report)
        {
            Receive<TimeSpan>(t => Context.SetReceiveTimeout(t));
            Receive<string>(
                m =>
                {
                    Context.SetReceiveTimeout(null);
                    report.Tell(m);
                },
                m => m == "off");
            Receive<ReceiveTimeout>(m => report.Tell(m));
        }
    }
}
