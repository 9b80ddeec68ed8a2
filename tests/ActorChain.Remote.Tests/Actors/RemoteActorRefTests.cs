using ActorChain.Actors;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Faults;
using ActorChain.TestKit;

namespace ActorChain.Remote.Tests.Actors;

public sealed class RemoteActorRefTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private RemoteNode _a = null!;
    private RemoteNode _b = null!;

    public Task InitializeAsync()
    {
        _a = RemoteNode.Start("node-a");
        _b = RemoteNode.Start("node-b");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public void Tell_ToRemotePath_DeliversWithASenderThatCanBeRepliedTo()
    {
        var target = new TestProbe(_b.System);
        var origin = new TestProbe(_a.System);
        var remoteTarget = _a.Remoting.Resolve($"actorchain://cluster@{_b.Address}{target.Ref.Path.ToStringWithoutAddress()}");

        Assert.IsType<RemoteActorRef>(remoteTarget);
        remoteTarget.Tell(new Ping("hello"), origin.Ref);

        Assert.Equal(new Ping("hello"), target.ExpectMsg<Ping>(timeout: Long));
        Assert.IsType<RemoteActorRef>(target.LastSender);
        Assert.Equal(origin.Ref.Path, target.LastSender.Path);

        target.Reply(new Pong("hello back"));
        Assert.Equal(new Pong("hello back"), origin.ExpectMsg<Pong>(timeout: Long));
        Assert.Equal(remoteTarget, origin.LastSender);
    }

    [Fact]
    public async Task TenThousandMessages_FromEachOfTwoSenders_ArriveInOrderPerPair()
    {
        const int count = 10_000;
        var checker = _b.System.ActorOf(Props.Create(() => new OrderCheckActor()), "order");
        var remoteChecker = _a.RefTo(checker);
        var senders = new[] { new TestProbe(_a.System), new TestProbe(_a.System) };

        await Task.WhenAll(senders.Select(sender => Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                remoteChecker.Tell(new Numbered(i), sender.Ref);
            }

            remoteChecker.Tell(new Finish(count), sender.Ref);
        })));

        foreach (var sender in senders)
        {
            Assert.Equal(new OrderResult(count, -1), sender.ExpectMsg<OrderResult>(timeout: TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task Ask_AcrossNodes_CompletesWithTheReply()
    {
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");

        var reply = await _a.RefTo(echo).Ask<Pong>(new Ping("question"), Long);

        Assert.Equal(new Pong("question"), reply);
    }

    [Fact]
    public async Task Ask_AcrossNodes_WithNoReply_TimesOut()
    {
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");

        await Assert.ThrowsAsync<AskTimeoutException>(() => _a.RefTo(echo).Ask<Pong>(new Ping("silent"), TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Ask_AnsweredWithStatusFailure_FaultsWithTheRemoteCause()
    {
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");

        var failure = await Assert.ThrowsAsync<RemoteFailureException>(() => _a.RefTo(echo).Ask<Pong>(new Ping("fail:no such block"), Long));

        Assert.Equal(typeof(InvalidOperationException).FullName, failure.RemoteType);
        Assert.Equal("no such block", failure.RemoteMessage);
    }

    [Fact]
    public void Tell_ToUnknownRemoteActor_GoesToDeadLettersOnTheReceivingNode()
    {
        var deadLetters = new TestProbe(_b.System);
        _b.System.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var origin = new TestProbe(_a.System);

        _a.Remoting.Resolve($"actorchain://cluster@{_b.Address}/user/nobody-here").Tell(new Ping("lost"), origin.Ref);

        var dead = deadLetters.ExpectMsg<DeadLetter>(d => d.Message is Ping, Long);
        Assert.Equal(new Ping("lost"), dead.Message);
        Assert.Equal("/user/nobody-here", dead.Recipient.Path.ToStringWithoutAddress());
        Assert.Equal(origin.Ref.Path, dead.Sender.Path);
        Assert.Equal(1, _b.Remoting.UnknownRecipients);
    }

    [Fact]
    public void Tell_OfUnregisteredMessageType_LogsAnErrorAndDeadLettersWithoutThrowing()
    {
        var target = new TestProbe(_b.System);
        var deadLetters = new TestProbe(_a.System);
        _a.System.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var remoteTarget = _a.RefTo(target.Ref);

        remoteTarget.Tell(new NotRegistered(7), null);

        var dead = deadLetters.ExpectMsg<DeadLetter>(timeout: Long);
        Assert.Equal(new NotRegistered(7), dead.Message);
        Assert.Equal(1, _a.Remoting.UnsendableMessages);
        Assert.True(_a.Log.Has(2101, nameof(NotRegistered), "no registered serializer"), "no error naming the message type was logged");

        remoteTarget.Tell(new Ping("still works"), null);
        Assert.Equal(new Ping("still works"), target.ExpectMsg<Ping>(timeout: Long));
    }

    [Fact]
    public void Watch_RemoteActorThatStops_YieldsTerminatedWithExistenceConfirmed()
    {
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var remoteEcho = _a.RefTo(echo);
        var watcher = new TestProbe(_a.System);
        watcher.Watch(remoteEcho);
        new TestProbe(_b.System).AwaitCondition(() => _b.Remoting.RemoteWatcherCount == 1, Long);

        _b.System.Stop(echo);

        var terminated = watcher.ExpectMsg<Terminated>(timeout: Long);
        Assert.Equal(remoteEcho, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
        Assert.False(terminated.AddressTerminated);
        watcher.AwaitCondition(() => _a.Remoting.WatchedRemoteActorCount == 0 && _b.Remoting.RemoteWatcherCount == 0, Long);
    }

    [Fact]
    public void Unwatch_BeforeRemoteActorStops_SuppressesTerminated()
    {
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var remoteEcho = _a.RefTo(echo);
        var watcher = new TestProbe(_a.System);
        var localWatcher = new TestProbe(_b.System);
        localWatcher.Watch(echo);
        watcher.Watch(remoteEcho);
        localWatcher.AwaitCondition(() => _b.Remoting.RemoteWatcherCount == 1, Long);

        watcher.Unwatch(remoteEcho);
        localWatcher.AwaitCondition(() => _b.Remoting.RemoteWatcherCount == 0, Long, message: "node B still holds the remote watch");
        _b.System.Stop(echo);

        localWatcher.ExpectTerminated(echo, Long);
        watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, _a.Remoting.WatchedRemoteActorCount);
    }

    [Fact]
    public void Watch_NonexistentRemoteActor_YieldsTerminatedWithExistenceUnconfirmed()
    {
        var missing = _a.Remoting.Resolve($"actorchain://cluster@{_b.Address}/user/never-was");
        var watcher = new TestProbe(_a.System);

        watcher.Watch(missing);

        var terminated = watcher.ExpectMsg<Terminated>(timeout: Long);
        Assert.Equal(missing, terminated.ActorRef);
        Assert.False(terminated.ExistenceConfirmed);
        Assert.False(terminated.AddressTerminated);
    }

    [Fact]
    public async Task AddressTerminated_TerminatesEveryWatchedRefAtThatAddressOnly()
    {
        await using var c = RemoteNode.Start("node-c");
        var onB1 = _a.RefTo(_b.System.ActorOf(Props.Create(() => new EchoActor()), "one"));
        var onB2 = _a.RefTo(_b.System.ActorOf(Props.Create(() => new EchoActor()), "two"));
        var three = c.System.ActorOf(Props.Create(() => new EchoActor()), "three");
        var onC = _a.RefTo(three);
        var watcher1 = new TestProbe(_a.System);
        var watcher2 = new TestProbe(_a.System);
        watcher1.Watch(onB1);
        watcher1.Watch(onC);
        watcher2.Watch(onB1);
        watcher2.Watch(onB2);

        _a.Remoting.AddressTerminated(_b.Address);

        var seen1 = watcher1.ExpectMsg<Terminated>(timeout: Long);
        var seen2 = watcher2.ReceiveN(2, Long).Cast<Terminated>().ToList();
        Assert.Equal(onB1, seen1.ActorRef);
        Assert.Equal([onB1, onB2], seen2.Select(t => t.ActorRef).OrderBy(r => r.Path));
        Assert.All(seen2.Append(seen1), t => Assert.True(t.AddressTerminated && !t.ExistenceConfirmed));

        // The watch of node C's actor is untouched: it still reports that actor's own stop.
        c.System.Stop(three);
        var fromC = watcher1.ExpectMsg<Terminated>(timeout: Long);
        Assert.Equal(onC, fromC.ActorRef);
        Assert.False(fromC.AddressTerminated);
    }

    [Fact]
    public void WatcherThatStops_ReleasesTheWatchHeldOnTheRemoteNode()
    {
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var watcher = new TestProbe(_a.System);
        watcher.Watch(_a.RefTo(echo));
        var observer = new TestProbe(_b.System);
        observer.AwaitCondition(() => _b.Remoting.RemoteWatcherCount == 1, Long);

        _a.System.Stop(watcher.Ref);

        observer.AwaitCondition(() => _b.Remoting.RemoteWatcherCount == 0, Long, message: "node B still holds the stopped watcher's watch");
        Assert.Equal(0, _a.Remoting.WatchedRemoteActorCount);
    }

    [Fact]
    public void AddressTerminated_OfTheWatchersNode_ReleasesWatchesHeldForIt()
    {
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        new TestProbe(_a.System).Watch(_a.RefTo(echo));
        var observer = new TestProbe(_b.System);
        observer.AwaitCondition(() => _b.Remoting.RemoteWatcherCount == 1, Long);

        _b.Remoting.AddressTerminated(_a.Address);

        Assert.Equal(0, _b.Remoting.RemoteWatcherCount);
        Assert.True(_b.Log.Has(2104, _a.Address.ToString()), "the address termination was not logged");
    }

    [Fact]
    public void Envelope_WithUnknownTypeId_IsDroppedAndCounted_AndLaterMessagesStillArrive()
    {
        var target = new TestProbe(_b.System);
        var recipient = target.Ref.Path.ToString();

        _a.Remoting.Transport.Send(_b.Address, new RemoteEnvelope(recipient, string.Empty, 2, 999, new byte[] { 1, 2, 3 }));
        _a.RefTo(target.Ref).Tell(new Ping("next"), null);

        Assert.Equal(new Ping("next"), target.ExpectMsg<Ping>(timeout: Long));
        Assert.Equal(1, _b.Remoting.UndecodableEnvelopes);
        Assert.True(_b.Log.Has(2102, "type id 999"), "the undecodable envelope was not logged");
    }

    [Fact]
    public void Blackhole_StopsDelivery_AndHealRestoresIt()
    {
        var target = new TestProbe(_b.System);
        var remoteTarget = _a.RefTo(target.Ref);
        remoteTarget.Tell(new Ping("before"), null);
        target.ExpectMsg(new Ping("before"), Long);
        var droppedBefore = _a.Remoting.Transport.Counters.DroppedByFaultInjection;

        _a.Remoting.Transport.Faults.Set(_b.NodeId, FaultDirection.Both, LinkFault.Blackhole);
        remoteTarget.Tell(new Ping("into the hole"), null);
        target.AwaitCondition(() => _a.Remoting.Transport.Counters.DroppedByFaultInjection == droppedBefore + 1, Long, message: "the blackhole dropped nothing");
        _a.Remoting.Transport.Faults.Heal(_b.NodeId);
        remoteTarget.Tell(new Ping("after"), null);

        // Per-pair order: had the blackholed message got through, it would arrive before this one.
        Assert.Equal(new Ping("after"), target.ExpectMsg<Ping>(timeout: Long));
    }

    [Fact]
    public void Resolve_PathWithThisNodesAddress_ReturnsTheLocalActor()
    {
        var echo = _a.System.ActorOf(Props.Create(() => new EchoActor()), "echo");

        Assert.Same(echo, _a.Remoting.Resolve($"actorchain://cluster@{_a.Address}/user/echo"));
        Assert.Same(echo, _a.Remoting.Resolve("actorchain://cluster/user/echo"));
        Assert.IsNotType<RemoteActorRef>(_a.Remoting.Resolve($"actorchain://cluster@{_a.Address}/user/nobody"));
    }
}
