using ActorChain.TestKit;
using Xunit.Sdk;

namespace ActorChain.Actors.Tests;

public sealed class TestKitTests : TestKitBase
{
    [Fact]
    public void ExpectMsg_WhenNothingArrives_SaysWhatDidNotHappen()
    {
        var ex = Assert.ThrowsAny<XunitException>(() => ExpectMsg<Promise>(timeout: TimeSpan.FromMilliseconds(50)));

        Assert.StartsWith("Expected a Promise within ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(", got nothing.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsg_WhenSomethingElseArrives_SaysWhatCameInstead()
    {
        TestActor.Tell("reject", TestActor);

        var ex = Assert.ThrowsAny<XunitException>(() => ExpectMsg<Promise>());

        Assert.Contains("Expected a Promise", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got String 'reject'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsg_WithValue_ComparesByEquality()
    {
        TestActor.Tell(new Promise(3), TestActor);
        TestActor.Tell(new Promise(4), TestActor);

        ExpectMsg(new Promise(3));
        Assert.ThrowsAny<XunitException>(() => ExpectMsg(new Promise(5)));
    }

    [Fact]
    public void ExpectMsg_WithPredicate_RejectsANonMatchingMessage()
    {
        TestActor.Tell(new Promise(1), TestActor);

        var ex = Assert.ThrowsAny<XunitException>(() => ExpectMsg<Promise>(p => p.Height == 2));

        Assert.Contains("does not match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectNoMsg_WhenAMessageArrives_Fails()
    {
        TestActor.Tell("surprise", TestActor);

        var ex = Assert.ThrowsAny<XunitException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(50)));

        Assert.Contains("Expected no message", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_LimitsTheDefaultTimeoutOfExpectations()
    {
        var ex = Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromMilliseconds(100), () => ExpectMsg<Promise>()));

        Assert.Contains("got nothing", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("within 3s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AwaitAssert_RetriesUntilTheAssertionHolds()
    {
        var calls = 0;

        AwaitAssert(() => Assert.True(++calls >= 3), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, calls);
    }

    [Fact]
    public void AwaitAssert_WhenItNeverHolds_FailsWithTheLastError()
    {
        var ex = Assert.Throws<AwaitAssertException>(() => AwaitAssert(() => Assert.Equal(1, 2), TimeSpan.FromMilliseconds(50)));

        Assert.IsAssignableFrom<XunitException>(ex.InnerException);
    }

    [Fact]
    public void AwaitCondition_WhenItNeverHolds_Fails()
    {
        var ex = Assert.ThrowsAny<XunitException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(50), message: "the moon turning blue"));

        Assert.Contains("the moon turning blue did not become true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_ReplyAndForward_UseTheLastSender()
    {
        var probe = CreateTestProbe();
        var other = CreateTestProbe();

        probe.Ref.Tell("question", TestActor);
        probe.ExpectMsg("question");
        probe.Reply("answer");
        probe.Forward(other.Ref);

        ExpectMsg("answer");
        Assert.Equal(probe.Ref, LastSender);
        other.ExpectMsg("question");
        Assert.Equal(TestActor, other.LastSender);
    }

    [Fact]
    public void Dilated_ScalesByTheTimeFactor()
    {
        Assert.Equal(TimeSpan.FromTicks((long)(TimeSpan.FromSeconds(2).Ticks * TestTime.TimeFactor)), Dilated(TimeSpan.FromSeconds(2)));
        Assert.True(TestTime.TimeFactor > 0);
    }

    private sealed record Promise(int Height);
}
