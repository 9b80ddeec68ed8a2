using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests.Chaos;

/// <summary>
/// Five real nodes under kill -9, partitions, delays and drops while ten clients write, read and
/// claim at every node; afterwards the history and the chains must show every guarantee kept.
/// The normal suite runs 20 s of faults; <c>./test.sh --chaos</c> the same test for
/// ACTORCHAIN_CHAOS_SECONDS (default 600).
/// </summary>
public sealed class ChaosSoakSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan ShortSoak = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Soak_UnderCrashesPartitionsDelaysAndDrops_KeepsEveryGuarantee()
    {
        var options = ChaosSoakOptions.FromEnvironment(ShortSoak);
        var nodeLogs = new TailOutput(lines: 400);
        var cluster = new ChaosCluster(options.Nodes, nodeLogs);
        ChaosSoakReport report;
        try
        {
            report = await new ChaosSoak(cluster, options, output.WriteLine).RunAsync();
        }
        catch
        {
            nodeLogs.DumpTo(output);
            throw;
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        output.WriteLine(report.Summary());
        if (report.Violations.Count > 0)
        {
            nodeLogs.DumpTo(output);
        }

        Assert.True(report.History.Count(o => o.Outcome == Outcome.Ok && o.Kind == OpKind.Put) > 0, $"no write was acknowledged, so nothing was checked: {report.SummaryLine}");
        Assert.True(report.Faults.Values.Sum() > 0, $"the nemesis injected no fault: {report.SummaryLine}");
        Assert.True(report.Violations.Count == 0, report.Summary());
    }

    /// <summary>Keeps the last node log lines only: five nodes for minutes would fill the test output.</summary>
    private sealed class TailOutput(int lines) : ITestOutputHelper
    {
        private readonly Queue<string> _lines = new();

        public void WriteLine(string message)
        {
            lock (_lines)
            {
                _lines.Enqueue(message);
                if (_lines.Count > lines)
                {
                    _lines.Dequeue();
                }
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void DumpTo(ITestOutputHelper output)
        {
            lock (_lines)
            {
                output.WriteLine($"--- last {_lines.Count} node log lines ---");
                foreach (var line in _lines)
                {
                    output.WriteLine(line);
                }
            }
        }
    }
}
