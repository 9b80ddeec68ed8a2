using System.CommandLine;
using System.Globalization;
using ActorChain.Cli.Http;
using ActorChain.Cli.Load;
using Spectre.Console;

namespace ActorChain.Cli.Commands;

/// <summary><c>load</c>: sustained writes and reads against ActorChain, or the same key-value workload against etcd.</summary>
internal static class LoadCommand
{
    public static Command Build(CommandContext context)
    {
        var load = new Command("load", "Sustained kv puts and file uploads (plus concurrent reads and searches) for a duration; reports throughput, p50/p95/p99 and how often all heads were equal.");
        var target = new Option<string>("--target") { Description = "actorchain, or etcd (its v3 JSON gateway: /v3/kv/put, /v3/kv/range).", DefaultValueFactory = _ => "actorchain" };
        target.AcceptOnlyFromAmong("actorchain", "etcd");
        var nodes = new NodeSet("The endpoints to spread clients over (ActorChain HTTP addresses or etcd client URLs). Default for actorchain: every member of --node.");
        var clients = new Option<int>("--clients", "-c") { Description = "Concurrent writers.", DefaultValueFactory = _ => 16 };
        var readers = new Option<int>("--readers") { Description = "Concurrent readers (kv gets, and searches on ActorChain).", DefaultValueFactory = _ => 2 };
        var rate = new Option<double>("--rate") { Description = "Target writes per second in total; 0 = as fast as possible.", DefaultValueFactory = _ => 0 };
        var duration = DurationOption("--duration", "How long to run.", TimeSpan.FromSeconds(10));
        var valueSize = new Option<int>("--value-size") { Description = "Bytes per kv value.", DefaultValueFactory = _ => 256 };
        var fileEvery = new Option<int>("--file-every") { Description = "Every n-th write is a file upload instead of a put (0: none; ActorChain only).", DefaultValueFactory = _ => 10 };
        var fileSize = new Option<int>("--file-size") { Description = "Bytes per uploaded file (a generated PNG).", DefaultValueFactory = _ => 16 * 1024 };
        var keys = new Option<int>("--keys") { Description = "Distinct keys written and read.", DefaultValueFactory = _ => 10_000 };
        var prefix = new Option<string>("--key-prefix") { Description = "Prefix of every key (and uploaded file name).", DefaultValueFactory = _ => "load-" };
        var sample = DurationOption("--sample-interval", "How often to sample every endpoint's head.", TimeSpan.FromMilliseconds(200));
        var settle = DurationOption("--settle", "After the run, how long to wait for the heads to become equal.", TimeSpan.FromSeconds(10));
        load.Options.Add(target);
        nodes.AddTo(load);
        foreach (var option in new Option[] { clients, readers, rate, duration, valueSize, fileEvery, fileSize, keys, prefix, sample, settle })
        {
            load.Options.Add(option);
        }

        context.SetAction(load, async (inv, ct) =>
        {
            var settings = new LoadSettings(
                inv.Get(clients), inv.Get(readers), inv.Get(rate), inv.Get(duration), inv.Get(valueSize), inv.Get(fileEvery),
                inv.Get(fileSize), inv.Get(keys), inv.Get(prefix), inv.Get(sample), inv.Get(settle));
            Validate(settings);
            var etcd = inv.Get(target) == "etcd";
            IReadOnlyList<Uri> endpoints;
            if (etcd)
            {
                endpoints = inv.Parse.GetValue(nodes.Nodes) is { Length: > 0 } listed
                    ? listed
                    : throw new UsageException("--target etcd needs --endpoints http://127.0.0.1:2379,…");
            }
            else
            {
                endpoints = [.. (await nodes.ResolveAsync(inv, ct)).Select(t => t.Http)];
            }

            using ILoadTarget system = etcd ? new EtcdTarget(endpoints, inv.Timeout, inv.TrustedCa) : new ActorChainTarget(endpoints, inv.ApiKey, inv.Timeout, settings.KeyPrefix.Replace('/', '-'), inv.TrustedCa);
            // Every endpoint must answer before the clock starts, so a typo is one clear line, not a run of errors.
            for (var i = 0; i < endpoints.Count; i++)
            {
                await system.HeadAsync(i, ct);
            }

            return await RunAsync(inv, system, settings, ct);
        });
        return load;
    }

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan fallback) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = r => Durations.Parse(r.Tokens[^1].Value, r),
    };

    private static void Validate(LoadSettings s)
    {
        if (s.Clients < 1 || s.Readers < 0 || s.Rate < 0 || s.Duration <= TimeSpan.Zero || s.ValueSize < 0 || s.FileEvery < 0
            || s.FileSize < 64 || s.Keys < 1 || s.SampleInterval <= TimeSpan.Zero)
        {
            throw new UsageException("load needs --clients ≥ 1, --readers ≥ 0, --rate ≥ 0, --duration > 0, --value-size ≥ 0, --file-every ≥ 0, --file-size ≥ 64, --keys ≥ 1, --sample-interval > 0.");
        }
    }

    private static async Task<int> RunAsync(Invocation inv, ILoadTarget system, LoadSettings settings, CancellationToken ct)
    {
        var runner = new LoadRunner(system, settings);
        LoadReport report;
        if (inv.Json)
        {
            report = await runner.RunAsync(null, TimeSpan.FromSeconds(1), ct);
            inv.WriteJson(report);
        }
        else if (!inv.Console.Ui.Profile.Capabilities.Interactive)
        {
            // Redirected (a log, CI): a plain line now and then instead of a redrawn table.
            var lastLine = TimeSpan.Zero;
            report = await runner.RunAsync(
                p =>
                {
                    if (p.Elapsed - lastLine >= TimeSpan.FromSeconds(5))
                    {
                        lastLine = p.Elapsed;
                        inv.Console.Out.WriteLine(Line(p));
                    }
                },
                TimeSpan.FromMilliseconds(500),
                ct);
            WriteReport(inv, report);
        }
        else
        {
            var table = Tables.Create("Operation", "Ok", "Errors", "Ops/s");
            report = null!;
            await inv.Console.Ui.Live(table).StartAsync(async live =>
            {
                report = await runner.RunAsync(p => { Fill(table, p); live.Refresh(); }, TimeSpan.FromMilliseconds(500), ct);
            });
            WriteReport(inv, report);
        }

        return report.Operations.Sum(o => o.Ok) > 0 ? CliApp.Ok : CliApp.Failure;
    }

    private static string Line(LoadProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.Elapsed.TotalSeconds:0}/{p.Duration.TotalSeconds:0} s: {string.Join(", ", p.Operations.Select(o => $"{o.Operation} {o.Ok} ok {o.Errors} errors"))}; heads equal {p.HeadsEqual}/{p.HeadSamples}");

    private static void Fill(Table table, LoadProgress p)
    {
        table.Rows.Clear();
        var seconds = Math.Max(p.Elapsed.TotalSeconds, 1e-9);
        foreach (var (op, ok, errors) in p.Operations)
        {
            table.AddRow(op, ok.ToString(CultureInfo.InvariantCulture), errors.ToString(CultureInfo.InvariantCulture), (ok / seconds).ToString("0", CultureInfo.InvariantCulture));
        }

        table.Caption($"{p.Elapsed.TotalSeconds:0}/{p.Duration.TotalSeconds:0} s · heads equal in {p.HeadsEqual}/{p.HeadSamples} samples");
    }

    private static void WriteReport(Invocation inv, LoadReport r)
    {
        var table = Tables.Create("Operation", "Ok", "Errors", "Ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        foreach (var o in r.Operations)
        {
            table.AddRow(
                o.Operation,
                o.Ok.ToString(CultureInfo.InvariantCulture),
                o.Errors.ToString(CultureInfo.InvariantCulture),
                o.PerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                o.P50Ms.ToString("0.00", CultureInfo.InvariantCulture),
                o.P95Ms.ToString("0.00", CultureInfo.InvariantCulture),
                o.P99Ms.ToString("0.00", CultureInfo.InvariantCulture),
                o.MaxMs.ToString("0.00", CultureInfo.InvariantCulture));
        }

        inv.Console.Ui.Write(table);
        var w = inv.Console.Out;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Target}: {r.WritesPerSecond:0.0} writes/s over {r.ElapsedSeconds:0.0} s with {r.Clients} writers and {r.Readers} readers on {r.Endpoints.Count} endpoints."));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Heads equal in {r.HeadsEqualSamples} of {r.HeadSamples} samples ({r.HeadsEqualPercent:0.0}%); after the run: {(r.HeadsEqualAfterSettle ? "all equal" : "NOT equal")}."));
        foreach (var o in r.Operations.Where(o => o.ErrorSamples.Count > 0))
        {
            foreach (var sample in o.ErrorSamples)
            {
                w.WriteLine($"  {o.Operation} error: {sample}");
            }
        }
    }
}
