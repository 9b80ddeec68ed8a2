using ActorChain.Benchmarks.Gateway;
using ActorChain.Benchmarks.Remote;
using BenchmarkDotNet.Running;

namespace ActorChain.Benchmarks;

internal static class Program
{
    // Run a subset with: dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- --filter '*Hash*'
    // Gateway search p50/p99 over 1,000,000 files: ... -- gateway-search; upload MB/s: ... -- gateway-upload (and gateway-upload-http)
    // Two-process remoting (not BenchmarkDotNet): dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- node-process
    private static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case [NodeProcessBenchmark.Mode, ..]:
                return await NodeProcessBenchmark.RunAsync(args);
            case [NodeProcessPeer.Mode, ..]:
                return await NodeProcessPeer.RunAsync();
            case [SearchLatency.Mode, ..]:
                return SearchLatency.Run(args);
            case [UploadThroughput.Mode, ..]:
                return await UploadThroughput.RunAsync(args);
            case [HttpUploadThroughput.Mode, ..]:
                return await HttpUploadThroughput.RunAsync(args);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
