using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class AsyncReceiveTests : TestKitBase
{
    [Fact]
    public void ReceiveAsync_TakesNoOtherMessageUntilItsTaskCompletes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new SlowActor(release.Task, TestActor)));

        actor.Tell("slow", TestActor);
        ExpectMsg("slow-started");
        actor.Tell(1, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        release.SetResult();

        ExpectMsg("slow-done");
        ExpectMsg(1);
    }

    [Fact]
    public void ReceiveAsync_ContinuationsRunOnTheActorWithItsSenderAndSelf()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new SlowActor(release.Task, TestActor)));

        actor.Tell("context", TestActor);
        release.SetResult();

        var (inActor, self, sender) = ExpectMsg<(bool, IActorRef, IActorRef)>();
        Assert.True(inActor);
        Assert.Equal(actor, self);
        Assert.Equal(TestActor, sender);
    }

    [Fact]
    public void ReceiveAsync_CompletingSynchronously_DoesNotSuspend()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SlowActor(Task.CompletedTask, TestActor)));

        actor.Tell("slow", TestActor);
        actor.Tell(1, TestActor);

        ExpectMsg("slow-started");
        ExpectMsg("slow-done");
        ExpectMsg(1);
    }

    [Fact]
    public void ReceiveAsync_StopWhileAwaiting_StopsWithoutRunningTheRest()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new SlowActor(release.Task, TestActor)));
        Watch(actor);

        actor.Tell("slow", TestActor);
        ExpectMsg("slow-started");
        Sys.Stop(actor);
        ExpectTerminated(actor);
        release.SetResult();

        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class SlowActor : ReceiveActor
    {
        public SlowActor(Task release, IActorRef report)
        {
            ReceiveAsync<string>(
                async _ =>
                {
                    report.Tell("slow-started");
                    await release;
                    report.Tell("slow-done");
                },
                m => m == "slow");
            ReceiveAsync<string>(
                async _ =>
                {
                    await release;
                    await Task.Yield();
                    Sender.Tell((ActorCell.Current is not null, Self, Sender));
                },
                m => m == "context");
            Receive<int>(i => report.Tell(i));
        }
    }
}
