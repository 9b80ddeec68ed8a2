using System.Threading.Channels;

namespace ActorChain.Persistence;

/// <summary>A write whose task completes only after the bytes it wrote are on disk (fsync).</summary>
internal abstract class CommitRequest
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _done.Task;

    public void Succeed() => _done.TrySetResult();

    public void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>
/// Group commit: one loop owns the file; every request that queued while the previous write and
/// fsync were running is handed to <c>process</c> as one batch, so many concurrent writers share
/// one write and one fsync.
/// </summary>
internal sealed class CommitQueue<TRequest>
    where TRequest : CommitRequest
{
    private readonly Channel<TRequest> _channel = Channel.CreateUnbounded<TRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<List<TRequest>> _process;
    private readonly int _maxBatch;
    private readonly Task _loop;

    public CommitQueue(Action<List<TRequest>> process, int maxBatch)
    {
        _process = process;
        _maxBatch = maxBatch;
        _loop = Task.Run(RunAsync);
    }

    public Task Enqueue(TRequest request, string owner)
    {
        if (!_channel.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(owner);
        }

        return request.Completion;
    }

    public Task CompleteAsync()
    {
        _channel.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<TRequest>();
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            try
            {
                _process(batch);
            }
            catch (Exception e)
            {
                foreach (var request in batch)
                {
                    request.Fail(e);
                }
            }
        }
    }
}
