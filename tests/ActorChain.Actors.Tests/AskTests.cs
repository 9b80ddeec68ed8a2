using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class AskTests : TestKitBase
{
    [Fact]
    public async Task Ask_CompletesWithTheReply()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));

        var reply = await echo.Ask<string>("ping", TimeSpan.FromSeconds(3));

        Assert.Equal("ping", reply);
    }

    [Fact]
    public async Task Ask_WithoutReply_FaultsWithAskTimeoutException()
    {
        var silent = Sys.ActorOf(Props.Create(() => new SilentActor()));

        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<string>("ping", TimeSpan.FromMilliseconds(100)));

        Assert.Contains(silent.Path.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_WhenCancelled_IsCanceled()
    {
        var silent = Sys.ActorOf(Props.Create(() => new SilentActor()));
        using var cts = new CancellationTokenSource();

        var task = silent.Ask<string>("ping", TimeSpan.FromMinutes(1), cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task Ask_WithAlreadyCancelledToken_IsCanceledWithoutSending()
    {
        var echo = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));

        var task = echo.Ask<string>("ping", TimeSpan.FromSeconds(3), new CancellationToken(canceled: true));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Ask_AnsweredWithStatusFailure_FaultsWithItsCause()
    {
        var failing = Sys.ActorOf(Props.Create(() => new FailureReplier()));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Ask<string>("ping", TimeSpan.FromSeconds(3)));

        Assert.Equal("no ping for you", ex.Message);
    }

    [Fact]
    public async Task Ask_AnsweredWithWrongType_FaultsWithInvalidCast()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));

        await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<int>("not a number", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_TemporaryRef_IsResolvableByPathUntilAnswered()
    {
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));

        var task = forwarder.Ask<string>("ping", TimeSpan.FromSeconds(3));
        ExpectMsg("ping");
        var tempPath = LastSender.Path;
        Assert.Equal("temp", tempPath.Elements[0]);
        Assert.True(Sys.TryResolveLocal(tempPath, out var resolved));
        resolved.Tell("pong", null);

        Assert.Equal("pong", await task);
        Assert.False(Sys.TryResolveLocal(tempPath, out _));
    }

    [Fact]
    public async Task Ask_LateReply_GoesToDeadLetters()
    {
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));
        var task = forwarder.Ask<string>("ping", TimeSpan.FromMilliseconds(50));
        ExpectMsg("ping");
        await Assert.ThrowsAsync<AskTimeoutException>(() => task);
        var before = Sys.DeadLetterCount;

        Reply("too late");

        Assert.Equal(before + 1, Sys.DeadLetterCount);
    }

    private sealed class SilentActor : ReceiveActor
    {
        public SilentActor() => ReceiveAny(_ => { });
    }

    private sealed class FailureReplier : ReceiveActor
    {
        public FailureReplier() => ReceiveAny(_ => Sender.Tell(new Status.Failure(new InvalidOperationException("no ping for you"))));
    }
}
