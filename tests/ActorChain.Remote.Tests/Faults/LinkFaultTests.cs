using System.Diagnostics;
using ActorChain.Remote.Faults;

namespace ActorChain.Remote.Tests.Faults;

public sealed class LinkFaultTests
{
    [Fact]
    public void Drop_WithTheSameSeed_DropsTheSameEnvelopes()
    {
        var first = new LinkFaultState(LinkFault.Drop(0.3, seed: 11));
        var second = new LinkFaultState(LinkFault.Drop(0.3, seed: 11));

        var a = Enumerable.Range(0, 1000).Select(_ => first.ShouldDrop()).ToArray();
        var b = Enumerable.Range(0, 1000).Select(_ => second.ShouldDrop()).ToArray();

        Assert.Equal(a, b);
        Assert.InRange(a.Count(static d => d), 200, 400);
    }

    [Fact]
    public void Drop_WithProbabilityOne_AlwaysDrops_AndZero_Never()
    {
        var all = new LinkFaultState(LinkFault.Drop(1.0, seed: 5));
        var none = new LinkFaultState(LinkFault.Drop(0.0, seed: 5));

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(all.ShouldDrop()));
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.False(none.ShouldDrop()));
    }

    [Fact]
    public void Blackhole_DropsEverything_PassThroughNothing()
    {
        Assert.True(new LinkFaultState(LinkFault.Blackhole).ShouldDrop());
        Assert.False(LinkFaultState.PassThrough.ShouldDrop());
        Assert.Equal(TimeSpan.Zero, LinkFaultState.PassThrough.WaitBefore(1000, Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void Delay_WaitsAtLeastTheFixedDelay_AndNeverLessThanThePreviousEnvelope()
    {
        var state = new LinkFaultState(LinkFault.Delay(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), seed: 2));

        var sentTogether = Stopwatch.GetTimestamp();

        var waits = Enumerable.Range(0, 100).Select(_ => state.WaitBefore(10, sentTogether)).ToArray();

        // Envelopes sent together are delayed together, not one delay after another.
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(11)));
    }

    [Fact]
    public void Throttle_SpacesEnvelopesByTheirSizeOverTheRate()
    {
        var state = new LinkFaultState(LinkFault.Throttle(bytesPerSecond: 1000));

        var now = Stopwatch.GetTimestamp();
        var first = state.WaitBefore(500, now);
        var second = state.WaitBefore(500, now);
        var third = state.WaitBefore(500, now);

        Assert.Equal(TimeSpan.Zero, first);
        Assert.InRange(second, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(500));
        Assert.InRange(third, TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(1000));
    }

    [Fact]
    public void Injector_SetsEachDirectionSeparately_AndHealRestoresBoth()
    {
        var injector = new FaultInjector();

        injector.Set("node-b", FaultDirection.Send, LinkFault.Blackhole);

        Assert.True(injector.Get("node-b", FaultDirection.Send).ShouldDrop());
        Assert.True(injector.Get("node-b", FaultDirection.Receive).IsPassThrough);
        Assert.True(injector.Get("node-c", FaultDirection.Send).IsPassThrough);

        injector.Set("node-b", FaultDirection.Both, LinkFault.Drop(1.0));
        Assert.True(injector.Get("node-b", FaultDirection.Receive).ShouldDrop());

        injector.Heal("node-b");
        Assert.True(injector.Get("node-b", FaultDirection.Send).IsPassThrough);
        Assert.True(injector.Get("node-b", FaultDirection.Receive).IsPassThrough);
    }

    [Fact]
    public void Drop_WithAProbabilityOutsideZeroToOne_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkFault.Drop(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkFault.Drop(-0.1));
    }
}
