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

    [Fact]
    public void ReceiveAsync_AwaitingAnAsk_RepliesAfterTheAnswer()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var asker = Sys.ActorOf(Props.Create(() => new AskingActor(echo)));

        asker.Tell("question", TestActor);
        asker.Tell("second", TestActor);

        ExpectMsg("answer: question");
        ExpectMsg("answer: second");
    }

    [Fact]
    public void PipeTo_TellsTheResultOrAStatusFailure()
    {
        Task.FromResult(42).PipeTo(TestActor);
        ExpectMsg(42);

        Task.FromException<int>(new InvalidOperationException("bad")).PipeTo(TestActor);
        Assert.Equal("bad", ExpectMsg<Status.Failure>().Cause.Message);

        Task.FromResult(1).PipeTo(TestActor, success: i => $"got {i}");
        ExpectMsg("got 1");
    }

    private sealed class AskingActor : ReceiveActor
    {
        public AskingActor(IActorRef echo) =>
            ReceiveAsync<string>(async q =>
            {
                var answer = await echo.Ask<string>(q, TimeSpan.FromSeconds(5));
                Sender.Tell($"answer: {answer}");
            });
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
