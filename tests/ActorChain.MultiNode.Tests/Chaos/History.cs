using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorChain.MultiNode.Tests.Chaos;

internal enum OpKind
{
    /// <summary>PUT /api/kv/{key}: <see cref="Operation.Value"/> is the value written.</summary>
    Put,

    /// <summary>GET /api/kv/{key}?consistency=linearizable: <see cref="Operation.Value"/> is the value read (null = 404).</summary>
    Read,

    /// <summary>GET /api/kv/{key} (local): only checked for returning nothing that was never written.</summary>
    LocalRead,

    /// <summary>POST /api/tasks/{key}/claim: <see cref="Operation.Value"/> is the claimant, <see cref="Operation.Winner"/> the answer.</summary>
    Claim,
}

internal enum Outcome
{
    Ok,

    /// <summary>Definitely not applied: a 4xx (a 409 is the ledger's verdict on an entry in the chain that changed nothing), or a refused connection.</summary>
    Failed,

    /// <summary>Timeout, 503, reset: may have taken effect at any point after invoke, or never.</summary>
    Unknown,
}

/// <summary>
/// One client operation as the client saw it. Times are <see cref="Stopwatch"/> ticks; a write retried
/// with the same Idempotency-Key is one operation from the first attempt's invoke to the last answer.
/// </summary>
internal sealed record Operation(
    int Id,
    int Client,
    string Node,
    OpKind Kind,
    string Key,
    string? Value,
    long Invoke,
    long Complete,
    Outcome Outcome,
    string? EntryId = null,
    long? Height = null,
    string? BlockHash = null,
    string? Winner = null,
    long? WinnerHeight = null,
    int? Status = null)
{
    public override string ToString()
    {
        var what = Kind switch
        {
            OpKind.Put => $"put {Key}={Value}",
            OpKind.Read => $"read {Key} -> {Value ?? "absent"}",
            OpKind.LocalRead => $"local-read {Key} -> {Value ?? "absent"}",
            _ => $"claim {Key} by {Value} -> {Winner ?? "?"}@{WinnerHeight}",
        };
        var at = Height is { } h ? $" @{h}" : string.Empty;
        return $"#{Id} c{Client}/{Node} {what} {Outcome}{at} [{Invoke}..{(Complete == long.MaxValue ? "?" : Complete)}]";
    }
}

/// <summary>Thread-safe recorder the clients share; operation ids follow invoke order.</summary>
internal sealed class HistoryRecorder
{
    private readonly ConcurrentQueue<Operation> _operations = new();
    private int _nextId;

    public int NextId() => Interlocked.Increment(ref _nextId);

    public void Add(Operation operation) => _operations.Enqueue(operation);

    public IReadOnlyList<Operation> Snapshot() => [.. _operations.OrderBy(o => o.Invoke).ThenBy(o => o.Id)];
}
