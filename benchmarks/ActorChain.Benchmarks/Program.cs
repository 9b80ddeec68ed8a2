using BenchmarkDotNet.Running;

namespace ActorChain.Benchmarks;

internal static class Program
{
    // Run a subset with: dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- --filter '*Hash*'
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
