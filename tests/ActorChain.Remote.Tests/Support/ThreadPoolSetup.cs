using System.Runtime.CompilerServices;

namespace ActorChain.Remote.Tests.Support;

internal static class ThreadPoolSetup
{
    /// <summary>
    /// Inside the test host, with the default minimum (one thread per core, 2 on a 2-core machine), the
    /// pool was measured fully occupied (no work item completed) for ~0.7 s at a time, stalling the
    /// transport's timers and socket continuations; the host's own threads are the likely holders.
    /// The same scenario outside the test host runs on 2–3 pool threads without a stall.
    /// </summary>
#pragma warning disable CA2255 // A test assembly is the place for process-wide test setup.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RaiseMinimumThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }
}
