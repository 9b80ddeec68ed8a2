using System.Collections.Concurrent;
using ActorChain.TestKit;

namespace ActorChain.Actors.Tests;

public sealed class LifecycleTests : TestKitBase
{
    [Fact]
    public async Task Terminate_StopsChildrenBeforeParentsAndCompletesWhenTerminated()
    {
        var stops = new ConcurrentQueue<string>();
        Sys.ActorOf(Props.Create(() => new Node(3, stops, TestActor)), "a");
        ExpectMsg("started a/3");
        ExpectMsg("started a/2");
        ExpectMsg("started a/1");

        await Sys.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(10)));

        Assert.True(Sys.WhenTerminated.IsCompletedSuccessfully);
        Assert.Equal(["1", "2", "3"], stops);
    }

    [Fact]
    public void Stop_StopsChildrenBeforeThePostStopOfTheParent()
    {
        var stops = new ConcurrentQueue<string>();
        var root = Sys.ActorOf(Props.Create(() => new Node(3, stops, TestActor)));
        ReceiveN(3);
        Watch(root);

        Sys.Stop(root);

        ExpectTerminated(root);
        Assert.Equal(["1", "2", "3"], stops);
    }

    [Fact]
    public void ActorOf_WithATakenName_Throws()
    {
        Sys.ActorOf(Props.Create(() => new EchoActor()), "unique");

        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new EchoActor()), "unique"));
    }

    [Fact]
    public void ContextActorOf_WithATakenName_Throws()
    {
        var parent = Sys.ActorOf(Props.Create(() => new TwinMaker(TestActor)));

        parent.Tell("make", TestActor);

        ExpectMsg<InvalidActorNameException>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("$reserved")]
    [InlineData("a/b")]
    [InlineData("with space")]
    public void ActorOf_WithAnInvalidName_Throws(string name)
    {
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new EchoActor()), name));
    }

    [Fact]
    public void Name_IsFreeAgainOnceTheActorHasStopped()
    {
        var first = Sys.ActorOf(Props.Create(() => new EchoActor()), "reused");
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        AwaitAssert(() => Sys.ActorOf(Props.Create(() => new EchoActor()), "reused"));
    }

    [Fact]
    public void Paths_FollowTheHierarchy()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Node(2, new ConcurrentQueue<string>(), TestActor)), "chain");
        ReceiveN(2);

        Assert.Equal($"actorchain://{Sys.Name}/user/chain", parent.Path.ToString());
        Assert.True(Sys.TryResolveLocal(ActorPath.Parse($"actorchain://{Sys.Name}/user/chain/1"), out var child));
        Assert.Equal("1", child.Path.Name);
        Assert.False(Sys.TryResolveLocal(ActorPath.Parse($"actorchain://{Sys.Name}/user/nothing"), out _));
        Assert.False(Sys.TryResolveLocal(ActorPath.Parse("actorchain://other/user/chain"), out _));
    }

    [Fact]
    public void SystemWithHostAndPort_HasGlobalPaths()
    {
        using var system = ActorSystem.Create("node1", new ActorSystemSettings { Host = "127.0.0.1", Port = 4053 });

        var actor = system.ActorOf(Props.Create(() => new EchoActor()), "chain");

        Assert.Equal("actorchain://node1@127.0.0.1:4053/user/chain", actor.Path.ToString());
        Assert.True(system.TryResolveLocal(ActorPath.Parse("actorchain://node1@127.0.0.1:4053/user/chain"), out var resolved));
        Assert.Equal(actor, resolved);
    }

    [Fact]
    public async Task ActorOf_AfterTerminate_Throws()
    {
        await Sys.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(10)));

        Assert.Throws<InvalidOperationException>(() => Sys.ActorOf(Props.Create(() => new EchoActor())));
    }

    [Fact]
    public void Dispose_TerminatesTheSystem()
    {
        var system = ActorSystem.Create("disposable");
        system.ActorOf(Props.Create(() => new EchoActor()));

        system.Dispose();

        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public void Children_ListsLiveChildren()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Node(2, new ConcurrentQueue<string>(), TestActor)));
        ReceiveN(2);

        var cell = ((LocalActorRef)parent).Cell;

        Assert.Equal(["1"], cell.Children.Select(c => c.Path.Name));
        Assert.Equal(ActorRefs.Nobody, cell.Child("missing"));
    }

    /// <summary>A chain of <c>depth</c> actors named depth, depth-1, … 1 that record their PostStop.</summary>
    private sealed class Node : ReceiveActor
    {
        private readonly int _depth;
        private readonly ConcurrentQueue<string> _stops;
        private readonly IActorRef _report;

        public Node(int depth, ConcurrentQueue<string> stops, IActorRef report)
        {
            _depth = depth;
            _stops = stops;
            _report = report;
            ReceiveAny(_ => { });
        }

        protected override void PreStart()
        {
            _report.Tell($"started {Self.Path.Elements[1]}/{_depth}");
            if (_depth > 1)
            {
                Context.ActorOf(Props.Create(() => new Node(_depth - 1, _stops, _report)), (_depth - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        protected override void PostStop() => _stops.Enqueue(_depth.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class TwinMaker : ReceiveActor
    {
        public TwinMaker(IActorRef report)
        {
            Receive<string>(_ =>
            {
                Context.ActorOf(Props.Create(() => new EchoActor()), "twin");
                try
                {
                    Context.ActorOf(Props.Create(() => new EchoActor()), "twin");
                }
                catch (InvalidActorNameException ex)
                {
                    report.Tell(ex);
                }
            });
        }
    }
}
