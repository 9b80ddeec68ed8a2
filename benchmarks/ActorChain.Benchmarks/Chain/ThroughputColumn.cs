using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ActorChain.Benchmarks.Chain;

/// <summary>A benchmark that can say how many bytes of block data one invocation of a method processes.</summary>
internal interface IThroughputBenchmark
{
    long BytesPerOperation(string method);
}

/// <summary>
/// Adds "Bytes/op" and "MB/s" (bytes / median time) to benchmarks implementing
/// <see cref="IThroughputBenchmark"/>. Columns are computed in the host process, where the
/// benchmark's setup never ran, so the column builds its own instance with the case's parameters.
/// </summary>
internal sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(new ThroughputColumn(perSecond: false), new ThroughputColumn(perSecond: true));
    }
}

internal sealed class ThroughputColumn(bool perSecond) : IColumn
{
    public string Id => perSecond ? "Throughput.MBps" : "Throughput.Bytes";

    public string ColumnName => perSecond ? "MB/s" : "Bytes/op";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => perSecond ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => perSecond ? UnitType.Dimensionless : UnitType.Size;

    public string Legend => perSecond
        ? "Block data processed per second: Bytes/op divided by the median time (1 MB = 10^6 bytes)"
        : "Bytes of block data one operation processes";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var bytes = BytesPerOperation(benchmarkCase);
        if (bytes is null)
        {
            return "-";
        }

        if (!perSecond)
        {
            return bytes.Value.ToString("N0", style.CultureInfo);
        }

        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        return median is > 0 ? (bytes.Value / median.Value * 1e9 / 1e6).ToString("N0", style.CultureInfo) : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;

    private static long? BytesPerOperation(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(IThroughputBenchmark).IsAssignableFrom(type))
        {
            return null;
        }

        var instance = (IThroughputBenchmark)Activator.CreateInstance(type)!;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            type.GetProperty(parameter.Name)?.SetValue(instance, parameter.Value);
        }

        return instance.BytesPerOperation(benchmarkCase.Descriptor.WorkloadMethod.Name);
    }
}
