using ActorChain.Actors;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorChain.TestKit;

/// <summary>
/// Akka.TestKit.Xunit2's TestKit for ActorChain: derive the test class from it, use <see cref="Sys"/>
/// and <see cref="TestActor"/> (the implicit target of the Expect methods), and the system is
/// terminated when xUnit disposes the test class. It is called TestKitBase because a class named
/// TestKit would be hidden by the ActorChain.TestKit namespace inside every ActorChain.* test namespace.
/// Pass xUnit's ITestOutputHelper to see the actors' logs in the test output.
/// </summary>
public abstract class TestKitBase : IDisposable
{
    private readonly TestOutputLoggerProvider? _loggerProvider;
    private readonly ILoggerFactory? _ownedLoggerFactory;
    private readonly TestProbe _testActor;
    private bool _disposed;

    static TestKitBase()
    {
        // Test actors often block a pool thread on a gate; on a 2-core machine the pool adds
        // threads only slowly, which would stretch the waits of every other test running then.
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < 16)
        {
            ThreadPool.SetMinThreads(16, io);
        }
    }

    protected TestKitBase(ITestOutputHelper? output = null, ActorSystemSettings? settings = null, string? systemName = null)
    {
        settings ??= ActorSystemSettings.Default;
        if (output is not null)
        {
            _loggerProvider = new TestOutputLoggerProvider(output);
            _ownedLoggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_loggerProvider).SetMinimumLevel(LogLevel.Debug));
            settings = settings with { LoggerFactory = _ownedLoggerFactory };
        }

        Sys = ActorSystem.Create(systemName ?? GetType().Name.Replace('`', '_'), settings);
        _testActor = new TestProbe(Sys, "testActor");
    }

    public ActorSystem Sys { get; }

    /// <summary>The actor whose inbox the kit's Expect methods read; it is also the natural sender for Tell from tests.</summary>
    public IActorRef TestActor => _testActor.Ref;

    public IActorRef LastSender => _testActor.LastSender;

    public object? LastMessage => _testActor.LastMessage;

    public TimeSpan RemainingOrDefault => _testActor.RemainingOrDefault;

    public static TimeSpan Dilated(TimeSpan duration) => TestTime.Dilated(duration);

    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    public T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null, string? hint = null) =>
        _testActor.ExpectMsg(predicate, timeout, hint);

    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
        where T : notnull => _testActor.ExpectMsg(expected, timeout);

    public void ExpectNoMsg(TimeSpan duration) => _testActor.ExpectNoMsg(duration);

    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? timeout = null) => _testActor.ExpectTerminated(actor, timeout);

    public T FishForMessage<T>(Predicate<T>? isTarget = null, TimeSpan? timeout = null) => _testActor.FishForMessage(isTarget, timeout);

    public object? ReceiveOne(TimeSpan? timeout = null) => _testActor.ReceiveOne(timeout);

    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null) => _testActor.ReceiveN(count, timeout);

    /// <summary>TestActor watches <paramref name="actor"/>; returns once the watch is in place.</summary>
    public IActorRef Watch(IActorRef actor) => _testActor.Watch(actor);

    public IActorRef Unwatch(IActorRef actor) => _testActor.Unwatch(actor);

    public void Reply(object message) => _testActor.Reply(message);

    public void Forward(IActorRef target) => _testActor.Forward(target);

    public void Within(TimeSpan max, Action action) => _testActor.Within(max, action);

    public T Within<T>(TimeSpan max, Func<T> action) => _testActor.Within(max, action);

    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) =>
        _testActor.AwaitAssert(assertion, duration, interval);

    public void AwaitCondition(Func<bool> condition, TimeSpan? duration = null, TimeSpan? interval = null, string? message = null) =>
        _testActor.AwaitCondition(condition, duration, interval, message);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        Sys.Terminate().Wait(TestTime.Dilated(TimeSpan.FromSeconds(10)));
        _loggerProvider?.Close();
        _ownedLoggerFactory?.Dispose();
    }
}
