using System.Collections.Concurrent;
using ActorChain.Remote.Transport;

namespace ActorChain.Remote.Tests.Support;

/// <summary>An inbound handler that records every envelope and lets a test await a count.</summary>
internal sealed class RecordingHandler : IInboundHandler
{
    private readonly ConcurrentQueue<(PeerId From, RemoteEnvelope Envelope)> _received = new();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<(PeerId From, RemoteEnvelope Envelope)> Received => [.. _received];

    public void OnEnvelope(PeerId from, in RemoteEnvelope envelope)
    {
        _received.Enqueue((from, envelope));
        var count = Interlocked.Increment(ref _count);
        lock (_lock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= count)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public Task WaitForCountAsync(int count, string what, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, done));
        }

        return Within.Await(done.Task, $"{what} (got {Count} of {count} envelopes)", timeout, () => $"got {Count} of {count} envelopes");
    }
}
