using System.Runtime;

namespace ActorChain.Gateway.Operations;

/// <summary>
/// The process's own cost, beside the chain's numbers: CPU, JIT, GC and thread pool. An operator reads
/// CPU per write from them, and a benchmark waits for the JIT counters to settle before it measures,
/// since a freshly started node spends a large share of its CPU on tiered compilation for its first
/// tens of seconds under load.
/// </summary>
internal static class RuntimeMetrics
{
    public static void WriteTo(PrometheusTextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var cpu = Environment.CpuUsage;
        writer.Counter("actorchain_process_cpu_seconds_total", "CPU time this process used since it started, user and kernel.", cpu.TotalTime.TotalSeconds);
        writer.Family(
            "actorchain_process_cpu_mode_seconds_total",
            "CPU time this process used since it started, by mode.",
            "counter",
            [
                ([("mode", "user")], cpu.UserTime.TotalSeconds),
                ([("mode", "kernel")], cpu.PrivilegedTime.TotalSeconds),
            ]);
        writer.Counter("actorchain_jit_methods_compiled_total", "Methods the JIT compiled since the process started (every tier counts).", JitInfo.GetCompiledMethodCount());
        writer.Counter("actorchain_jit_compilation_seconds_total", "Time the JIT spent compiling since the process started.", JitInfo.GetCompilationTime().TotalSeconds);
        writer.Family(
            "actorchain_gc_collections_total",
            "Garbage collections since the process started, by generation (a gen 2 collection counts in 0 and 1 too).",
            "counter",
            Enumerable.Range(0, GC.MaxGeneration + 1).Select(generation =>
                ((IReadOnlyList<(string, string)>)[("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture))], (double)GC.CollectionCount(generation))));
        writer.Counter("actorchain_gc_pause_seconds_total", "Time the process was paused for garbage collection since it started.", GC.GetTotalPauseDuration().TotalSeconds);
        writer.Counter("actorchain_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", GC.GetTotalAllocatedBytes(precise: false));
        writer.Gauge("actorchain_gc_heap_bytes", "Bytes the managed heap holds now (live and not yet collected).", GC.GetTotalMemory(forceFullCollection: false));
        writer.Gauge("actorchain_threadpool_threads", "Thread-pool threads now.", ThreadPool.ThreadCount);
        writer.Gauge("actorchain_threadpool_queue_length", "Work items queued on the thread pool and not yet started.", ThreadPool.PendingWorkItemCount);
    }
}
