using System.Runtime.CompilerServices;
using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class SupervisionTests : TestKitBase
{
    [Fact]
    public void Restart_ResetsStateAndCallsPreRestartAndPostRestart()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Restart));
        child.Tell("inc");
        child.Tell("inc");
        child.Tell("get", TestActor);
        ExpectMsg(2);

        child.Tell("fail");

        var pre = ExpectMsg<PreRestarted>();
        Assert.Equal("fail", pre.Message);
        Assert.IsType<InvalidOperationException>(pre.Reason);
        ExpectMsg<PostRestarted>();
        child.Tell("get", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void Restart_AfterAsyncHandlerThrows_ResetsState()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Restart));
        child.Tell("inc");

        child.Tell("failAsync");

        var pre = ExpectMsg<PreRestarted>();
        Assert.Equal("failAsync", pre.Message);
        ExpectMsg<PostRestarted>();
        child.Tell("get", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void Resume_KeepsStateAndDropsTheFailingMessage()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell("inc");
        child.Tell("inc");

        child.Tell("fail");
        child.Tell("get", TestActor);

        ExpectMsg(2);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Resume_AfterAsyncHandlerThrows_KeepsState()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell("inc");

        child.Tell("failAsync");
        child.Tell("get", TestActor);

        ExpectMsg(1);
    }

    [Fact]
    public void Stop_StopsTheChildAndRunsPostStop()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Stop));
        var probe = CreateTestProbe();
        probe.Watch(child);

        child.Tell("fail");

        ExpectMsg("stopped");
        probe.ExpectTerminated(child);
    }

    [Fact]
    public void Stop_AfterAsyncHandlerThrows_StopsTheChild()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Stop));
        var probe = CreateTestProbe();
        probe.Watch(child);

        child.Tell("failAsync");

        probe.ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_FailsTheParentWhoseSupervisorDecides()
    {
        var (parent, _, child, decisions) = StartEscalatingTree(Directive.Restart);

        parent.Tell("fail");

        var escalated = decisions.ExpectMsg<InvalidOperationException>();
        Assert.Equal("boom", escalated.Message);

        // The middle supervisor restarts: its default PreRestart stops the failed child, and the
        // fresh middle instance creates a fresh child.
        ExpectMsg("stopped");
        var freshChild = ExpectStartedChild();
        Assert.Equal(child.Path, freshChild.Path);
        Assert.NotEqual(child, freshChild);
        parent.Tell("get", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void Escalate_FromAsyncHandler_ReachesTheGrandparent()
    {
        var (parent, middle, _, decisions) = StartEscalatingTree(Directive.Stop);
        Watch(middle);

        parent.Tell("failAsync");

        Assert.Equal("async boom", decisions.ExpectMsg<InvalidOperationException>().Message);
        ExpectMsg("stopped");
        ExpectTerminated(middle);
    }

    [Fact]
    public void Restart_BeyondTheLimit_StopsTheChild()
    {
        var child = Supervised(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        var probe = CreateTestProbe();
        probe.Watch(child);

        for (var i = 0; i < 2; i++)
        {
            child.Tell("fail");
            ExpectMsg<PreRestarted>();
            ExpectMsg<PostRestarted>();
        }

        child.Tell("fail");

        ExpectMsg("stopped");
        probe.ExpectTerminated(child);
    }

    [Fact]
    public void DefaultStrategy_RestartsTopLevelActors()
    {
        var counter = Sys.ActorOf(Props.Create(() => new Counter(TestActor)));
        ExpectMsg("started");
        counter.Tell("inc");

        counter.Tell("fail");

        ExpectMsg<PreRestarted>();
        ExpectMsg<PostRestarted>();
        counter.Tell("get", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void ConstructorFailure_StopsTheActorUnderTheDefaultStrategy()
    {
        var broken = Sys.ActorOf(Props.Create(() => new BrokenActor()));

        Watch(broken);

        ExpectTerminated(broken);
    }

    [Fact]
    public void Resume_AfterConstructorFailure_CreatesAFreshInstance()
    {
        var attempts = new StrongBox<int>();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(
            Props.Create(() => new FailsFirstTime(attempts, TestActor)),
            TestActor,
            new OneForOneStrategy(_ => Directive.Resume))));
        var child = ExpectMsg<IActorRef>();

        ExpectMsg("started");
        child.Tell("ping", TestActor);

        ExpectMsg("ping");
        Assert.Equal(2, attempts.Value);
        _ = supervisor;
    }

    [Fact]
    public void UnhandledTerminated_IsADeathPactThatStopsTheWatcher()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new CarelessWatcher(target)));
        Watch(watcher);

        Sys.Stop(target);

        ExpectTerminated(watcher);
    }

    [Fact]
    public void RestartedChild_KeepsItsRefAndPath()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Restart));

        child.Tell("fail");
        ExpectMsg<PreRestarted>();
        ExpectMsg<PostRestarted>();
        child.Tell("get", TestActor);

        ExpectMsg(0);
        Assert.Equal(child, LastSender);
    }

    /// <summary>Creates a Supervisor with the strategy and a Counter child, and returns the child.</summary>
    private IActorRef Supervised(SupervisorStrategy strategy)
    {
        Sys.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new Counter(TestActor)), TestActor, strategy)));
        return ExpectStartedChild();
    }

    /// <summary>The supervisor reports its child's ref and the child reports "started", in either order.</summary>
    /// <summary>
    /// parent (decides with <paramref name="grandparentDecision"/>, reporting each failure to the
    /// returned probe) → middle supervisor (escalates everything) → counter child.
    /// </summary>
    private (IActorRef Parent, IActorRef Middle, IActorRef Child, TestProbe Decisions) StartEscalatingTree(Directive grandparentDecision)
    {
        var decisions = CreateTestProbe();
        var grandparentStrategy = new OneForOneStrategy(ex =>
        {
            decisions.Ref.Tell(ex);
            return grandparentDecision;
        });
        var refs = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(
            Props.Create(() => new Supervisor(Props.Create(() => new Counter(TestActor)), TestActor, new OneForOneStrategy(_ => Directive.Escalate))),
            refs.Ref,
            grandparentStrategy)));
        var middle = refs.ExpectMsg<IActorRef>();
        return (parent, middle, ExpectStartedChild(), decisions);
    }

    private IActorRef ExpectStartedChild()
    {
        var both = ReceiveN(2);
        Assert.Contains("started", both);
        return Assert.Single(both.OfType<IActorRef>());
    }

    internal sealed record PreRestarted(Exception Reason, object? Message);

    internal sealed record PostRestarted(Exception Reason);

    /// <summary>Creates one child in PreStart, reports it, and forwards every message to it.</summary>
    private sealed class Supervisor : ReceiveActor
    {
        private readonly Props _childProps;
        private readonly IActorRef _report;
        private readonly SupervisorStrategy _strategy;
        private IActorRef _child = ActorRefs.Nobody;

        public Supervisor(Props childProps, IActorRef report, SupervisorStrategy strategy)
        {
            _childProps = childProps;
            _report = report;
            _strategy = strategy;
            ReceiveAny(m => _child.Forward(m));
        }

        protected override void PreStart()
        {
            _child = Context.ActorOf(_childProps, "child");
            _report.Tell(_child);
        }

        protected override SupervisorStrategy SupervisorStrategy() => _strategy;
    }

    private sealed class Counter : ReceiveActor
    {
        private readonly IActorRef _report;
        private int _count;

        public Counter(IActorRef report)
        {
            _report = report;
            Receive<string>(_ => _count++, m => m == "inc");
            Receive<string>(_ => Sender.Tell(_count), m => m == "get");
            Receive<string>(_ => throw new InvalidOperationException("boom"), m => m == "fail");
            ReceiveAsync<string>(
                async _ =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("async boom");
                },
                m => m == "failAsync");
        }

        protected override void PreStart() => _report.Tell("started");

        protected override void PostStop() => _report.Tell("stopped");

        protected override void PreRestart(Exception reason, object? message)
        {
            _report.Tell(new PreRestarted(reason, message));
        }

        protected override void PostRestart(Exception reason) => _report.Tell(new PostRestarted(reason));
    }

    private sealed class FailsFirstTime : ReceiveActor
    {
        public FailsFirstTime(StrongBox<int> attempts, IActorRef report)
        {
            if (++attempts.Value == 1)
            {
                throw new InvalidOperationException("first start fails");
            }

            report.Tell("started");
            ReceiveAny(m => Sender.Tell(m));
        }
    }

    private sealed class BrokenActor : ActorBase
    {
        public BrokenActor() => throw new InvalidOperationException("cannot start");

        protected override bool Receive(object message) => true;
    }

    private sealed class CarelessWatcher : ReceiveActor
    {
        public CarelessWatcher(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }
}
