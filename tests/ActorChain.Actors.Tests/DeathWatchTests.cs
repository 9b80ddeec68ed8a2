using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class DeathWatchTests : TestKitBase
{
    [Fact]
    public void Watch_StoppedChild_DeliversTerminated()
    {
        var parent = Sys.ActorOf(Props.Create(() => new WatchingParent(TestActor)));
        var child = ExpectMsg<IActorRef>();

        parent.Tell("stop-child", TestActor);

        var terminated = ExpectMsg<Terminated>();
        Assert.Equal(child, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
    }

    [Fact]
    public void Watch_AlreadyDeadActor_DeliversTerminatedAtOnce()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var first = CreateTestProbe();
        first.Watch(target);
        Sys.Stop(target);
        first.ExpectTerminated(target);

        Watch(target);

        ExpectTerminated(target);
    }

    [Fact]
    public void Watch_Nobody_DeliversTerminatedWithoutExistence()
    {
        Watch(ActorRefs.Nobody);

        var terminated = ExpectTerminated(ActorRefs.Nobody);

        Assert.False(terminated.ExistenceConfirmed);
    }

    [Fact]
    public void Unwatch_BeforeStop_SuppressesTerminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var witness = CreateTestProbe();
        witness.Watch(target);
        Watch(target);

        Unwatch(target);
        Sys.Stop(target);

        witness.ExpectTerminated(target);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Unwatch_OfAnAlreadyQueuedTerminated_SuppressesIt()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var gate = new Gate();
        var watcher = Sys.ActorOf(Props.Create(() => new LateUnwatcher(target, TestActor)));
        ExpectMsg("watching");

        watcher.Tell(new Block(gate), TestActor);
        ExpectMsg("blocked");
        var witness = CreateTestProbe();
        witness.Watch(target);
        Sys.Stop(target);
        witness.ExpectTerminated(target);

        // The watcher is blocked, so its death-watch notification waits; once the gate opens it is
        // turned into a Terminated queued behind "unwatch" and "done".
        watcher.Tell("unwatch", TestActor);
        watcher.Tell("done", TestActor);
        gate.Open();

        ExpectMsg("done");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Terminated_ToldAsAPlainMessage_IsDeliveredLikeAnyMessage()
    {
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));
        var stranger = CreateTestProbe();

        forwarder.Tell(new Terminated(stranger.Ref), TestActor);

        Assert.Equal(stranger.Ref, ExpectMsg<Terminated>().ActorRef);
    }

    [Fact]
    public void NotifyTerminated_ForAnUnwatchedRef_IsNotDelivered()
    {
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));
        var stranger = CreateTestProbe();

        ((IInternalActorRef)forwarder).NotifyTerminated(new Terminated(stranger.Ref));
        forwarder.Tell("after", TestActor);

        ExpectMsg("after");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class WatchingParent : ReceiveActor
    {
        public WatchingParent(IActorRef report)
        {
            var child = Context.ActorOf(Props.Create(() => new EchoActor()), "child");
            Context.Watch(child);
            report.Tell(child);
            Receive<string>(_ => Context.Stop(child), m => m == "stop-child");
            Receive<Terminated>(t => report.Tell(t));
        }
    }

    private sealed class LateUnwatcher : ReceiveActor
    {
        public LateUnwatcher(IActorRef target, IActorRef report)
        {
            Context.Watch(target);
            report.Tell("watching");
            Receive<Block>(b =>
            {
                report.Tell("blocked");
                b.Gate.WaitOpen();
            });
            Receive<string>(_ => Context.Unwatch(target), m => m == "unwatch");
            Receive<string>(m => report.Tell(m));
            Receive<Terminated>(t => report.Tell(t));
        }
    }
}
