namespace ActorChain.Remote.Tests.Support;

/// <summary>Waiting with a deadline; a timeout names what did not happen.</summary>
internal static class Within
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static async Task Await(Task task, string what, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var limit = timeout ?? Default;
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Within {limit}: {what} did not happen{(state is null ? "" : $" ({state()})")}.");
        }
    }

    public static async Task<T> Await<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Default;
        try
        {
            return await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Within {limit}: {what} did not happen.");
        }
    }

    /// <summary>AwaitAssert-style polling: the condition must become true before the deadline.</summary>
    public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var limit = timeout ?? Default;
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Within {limit}: {what} did not happen{(state is null ? "" : $" ({state()})")}.");
            }

            await Task.Delay(10);
        }
    }
}
