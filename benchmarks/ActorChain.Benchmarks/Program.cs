using ActorChain.Benchmarks.Remote;
using BenchmarkDotNet.Running;

namespace ActorChain.Benchmarks;

internal static class Program
{
    // Run a subset with: dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- --filter '*Hash*'
    // Two-process remoting (not BenchmarkDotNet): dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- node-process
    private static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case [NodeProcessBenchmark.Mode, ..]:
                return await NodeProcessBenchmark.RunAsync(args);
            case [NodeProcessPeer.Mode, ..]:
                return await NodeProcessPeer.RunAsync();
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
