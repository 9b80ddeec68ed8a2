using System.Diagnostics;
using ActorChain.Gateway.Operations;

namespace ActorChain.Gateway.Tests.Operations;

public sealed class RuntimeMetricsTests
{
    [Fact]
    public void Scrape_ShowsTheProcessCpuJitGcAndThreadPool_AsValidFamilies()
    {
        var document = Exposition.Parse(new GatewayMetrics().Scrape());

        Assert.Equal("counter", document.Families["actorchain_process_cpu_seconds_total"].Type);
        Assert.True(document.Value("actorchain_process_cpu_seconds_total") > 0, "a running test process has used no CPU?");
        Assert.True(document.Value("actorchain_jit_methods_compiled_total") > 0, "this very test was compiled by the JIT");
        Assert.Equal(
            ["0", "1", "2"],
            document.Families["actorchain_gc_collections_total"].Samples.Select(s => s.Labels["generation"]).Order(StringComparer.Ordinal));
        Assert.Equal(["kernel", "user"], document.Families["actorchain_process_cpu_mode_seconds_total"].Samples.Select(s => s.Labels["mode"]).Order(StringComparer.Ordinal));
        Assert.True(document.Value("actorchain_threadpool_threads") >= 1);
        Assert.True(document.Value("actorchain_gc_heap_bytes") > 0);
        Assert.True(document.Value("actorchain_gc_allocated_bytes_total") > 0);
    }

    [Fact]
    public void CpuAndJitCounters_GrowWithWork_AndCpuIsTheSumOfItsModes()
    {
        // The process's CPU as the OS reports it through another API; spin until it has grown by 50 ms (the
        // machine may be busy, so wall time says nothing), bounded so a broken clock fails instead of hanging.
        using var process = Process.GetCurrentProcess();
        var before = Exposition.Parse(new GatewayMetrics().Scrape());
        var cpuAtStart = process.TotalProcessorTime;
        var bound = Stopwatch.StartNew();
        var sink = 0L;
        do
        {
            for (var i = 0; i < 100_000; i++)
            {
                sink += i % 7;
            }

            process.Refresh();
        }
        while (process.TotalProcessorTime - cpuAtStart < TimeSpan.FromMilliseconds(50) && bound.Elapsed < TimeSpan.FromSeconds(30));

        // A method this process never ran before: the JIT compiles it now.
        var compiled = CompileFreshMethod();
        var after = Exposition.Parse(new GatewayMetrics().Scrape());

        Assert.True(sink >= 0 && compiled > 0);
        Assert.True(process.TotalProcessorTime - cpuAtStart >= TimeSpan.FromMilliseconds(50), "the process did not get 50 ms of CPU within 30 s");
        Assert.True(
            after.Value("actorchain_process_cpu_seconds_total") - before.Value("actorchain_process_cpu_seconds_total") >= 0.045,
            "50 ms of CPU the OS counted for this process did not show in actorchain_process_cpu_seconds_total");
        Assert.True(after.Value("actorchain_jit_methods_compiled_total") > before.Value("actorchain_jit_methods_compiled_total"), "a newly compiled method was not counted");
        var modes = after.Families["actorchain_process_cpu_mode_seconds_total"].Samples.Sum(s => s.Value);
        Assert.InRange(modes, after.Value("actorchain_process_cpu_seconds_total") - 0.001, after.Value("actorchain_process_cpu_seconds_total") + 0.001);
    }

    private static int CompileFreshMethod()
    {
        var method = new System.Reflection.Emit.DynamicMethod("fresh", typeof(int), Type.EmptyTypes);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4, 42);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        return ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
    }
}
