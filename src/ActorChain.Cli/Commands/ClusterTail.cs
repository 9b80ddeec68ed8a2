using System.CommandLine;
using ActorChain.Cli.Http;

namespace ActorChain.Cli.Commands;

/// <summary>One line of <c>cluster tail</c>: a membership change or newly decided heights.</summary>
internal sealed record TailEvent(DateTimeOffset At, string Kind, string? NodeId, string? Address, string Detail, long? Height = null, string? Hash = null);

/// <summary><c>cluster tail</c>: polls the node and prints what changed, until Ctrl-C or <c>--duration</c>.</summary>
internal static class ClusterTail
{
    public static Command Build(CommandContext context)
    {
        var tail = new Command("tail", "Print membership changes and decided heights as they happen (until Ctrl-C or --duration).");
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "How often to poll the node.",
            DefaultValueFactory = _ => TimeSpan.FromMilliseconds(500),
            CustomParser = r => Durations.Parse(r.Tokens[^1].Value, r),
        };
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = "Stop after this long (default: until Ctrl-C).",
            CustomParser = r => Durations.Parse(r.Tokens[^1].Value, r),
        };
        tail.Options.Add(interval);
        tail.Options.Add(duration);
        context.SetAction(tail, (inv, ct) => RunAsync(inv, inv.Get(interval), inv.Parse.GetValue(duration), ct));
        return tail;
    }

    private static async Task<int> RunAsync(Invocation inv, TimeSpan interval, TimeSpan? duration, CancellationToken ct)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new UsageException("--interval must be more than zero.");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        var client = inv.Client();
        Member[] members;
        Head head;
        try
        {
            // The first poll must work: a tail of a node that is not there is a failure, not an empty stream.
            members = await client.MembersAsync(stop.Token);
            head = await client.HeadAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return CliApp.Ok;
        }

        Write(inv, new TailEvent(DateTimeOffset.UtcNow, "head", head.NodeId, null, $"head at height {head.Height}", head.Height, head.Hash));
        foreach (var e in Changes([], members))
        {
            Write(inv, e);
        }

        var unreachable = false;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    var nowMembers = await client.MembersAsync(stop.Token);
                    var nowHead = await client.HeadAsync(stop.Token);
                    if (unreachable)
                    {
                        Write(inv, new TailEvent(DateTimeOffset.UtcNow, "node", null, null, $"{inv.Node} answers again"));
                        unreachable = false;
                    }

                    foreach (var e in Changes(members, nowMembers))
                    {
                        Write(inv, e);
                    }

                    if (Decided(head, nowHead) is { } decided)
                    {
                        Write(inv, decided);
                    }

                    (members, head) = (nowMembers, nowHead);
                }
                catch (Exception e) when (e is NodeUnreachableException or NodeApiException && !unreachable)
                {
                    Write(inv, new TailEvent(DateTimeOffset.UtcNow, "node", null, null, e.Message + " (still polling)"));
                    unreachable = true;
                }
                catch (Exception e) when (e is NodeUnreachableException or NodeApiException)
                {
                    // Said once already; keep polling quietly until it answers.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C or --duration: the normal end of a tail.
        }

        return CliApp.Ok;
    }

    /// <summary>What differs between two member lists, keyed by remote address (a node id can rejoin at a new address).</summary>
    public static IEnumerable<TailEvent> Changes(IReadOnlyList<Member> before, IReadOnlyList<Member> after)
    {
        var now = DateTimeOffset.UtcNow;
        var old = before.ToDictionary(m => m.Address);
        foreach (var m in after.OrderBy(m => m.NodeId, StringComparer.Ordinal))
        {
            if (!old.Remove(m.Address, out var was))
            {
                yield return new TailEvent(now, "joined", m.NodeId, m.Address, $"{m.Status}{(m.Reachable ? string.Empty : ", unreachable")}{(m.Voter ? ", voter" : ", learner")}");
                continue;
            }

            if (was.Status != m.Status)
            {
                yield return new TailEvent(now, "status", m.NodeId, m.Address, $"{was.Status} -> {m.Status}");
            }

            if (was.Reachable != m.Reachable)
            {
                yield return new TailEvent(now, m.Reachable ? "reachable" : "unreachable", m.NodeId, m.Address, m.Reachable ? "reachable again" : "unreachable");
            }

            if (was.Voter != m.Voter)
            {
                yield return new TailEvent(now, "voter", m.NodeId, m.Address, m.Voter ? "became a voter" : "no longer a voter");
            }
        }

        foreach (var gone in old.Values.OrderBy(m => m.NodeId, StringComparer.Ordinal))
        {
            yield return new TailEvent(now, "removed", gone.NodeId, gone.Address, "removed");
        }
    }

    public static TailEvent? Decided(Head before, Head after) =>
        after.Height > before.Height
            ? new TailEvent(
                DateTimeOffset.UtcNow,
                "decided",
                after.NodeId,
                null,
                after.Height == before.Height + 1 ? $"decided height {after.Height}" : $"decided heights {before.Height + 1}..{after.Height}",
                after.Height,
                after.Hash)
            : null;

    private static void Write(Invocation inv, TailEvent e)
    {
        if (inv.Json)
        {
            inv.WriteJsonLine(e);
            return;
        }

        var who = e.NodeId is null && e.Address is null ? string.Empty : $"{e.NodeId ?? "?"}{(e.Address is null ? string.Empty : $" ({e.Address})")}: ";
        var hash = e.Hash is null ? string.Empty : $", head {ClusterCommands.Short(e.Hash)}";
        inv.Console.Out.WriteLine($"{e.At:HH:mm:ss.fff} {e.Kind,-11} {who}{e.Detail}{hash}");
    }
}
