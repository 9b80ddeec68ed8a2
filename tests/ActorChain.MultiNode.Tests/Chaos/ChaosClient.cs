using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ActorChain.MultiNode.Tests.Chaos;

/// <summary>
/// One client bound to one node: puts unique values to a few shared keys (retrying an unknown
/// outcome once at the next node with the same Idempotency-Key, as operators are told to),
/// linearizable and local reads, and task claims, each recorded with invoke and completion ticks.
/// </summary>
internal sealed class ChaosClient : IDisposable
{
    /// <summary>The client's own bound: above the node's write-timeout, so a slow commit is the node's 503, not our guess.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(7);

    private readonly int _id;
    private readonly IReadOnlyList<HttpClient> _nodes;
    private readonly IReadOnlyList<string> _names;
    private readonly int _home;
    private readonly HistoryRecorder _history;
    private readonly Random _random;
    private readonly int _keys;
    private readonly int _tasks;
    private static readonly TimeSpan RefusedPause = TimeSpan.FromMilliseconds(100);

    private readonly long _started;
    private int _sequence;
    private bool _refused;

    public ChaosClient(int id, IReadOnlyList<Uri> nodes, IReadOnlyList<string> names, int home, HistoryRecorder history, int seed, int keys, int tasks, long started)
    {
        _started = started;
        _id = id;
        _nodes = [.. nodes.Select(uri => new HttpClient { BaseAddress = uri, Timeout = RequestTimeout })];
        _names = names;
        _home = home;
        _history = history;
        _random = new Random(seed);
        _keys = keys;
        _tasks = tasks;
    }

    public static string Key(int i) => $"k{i}";

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var dice = _random.Next(100);
            if (dice < 45)
            {
                await PutAsync(Key(_random.Next(_keys)), stop);
            }
            else if (dice < 75)
            {
                await ReadAsync(_home, Key(_random.Next(_keys)), linearizable: true);
            }
            else if (dice < 85)
            {
                await ReadAsync(_home, Key(_random.Next(_keys)), linearizable: false);
            }
            else
            {
                // Fresh tasks every few seconds, so claims keep racing for unclaimed ones all through a long soak.
                await ClaimAsync($"t{(long)Stopwatch.GetElapsedTime(_started).TotalSeconds / 3}-{_random.Next(_tasks)}");
            }

            if (_refused)
            {
                // Pacing, not synchronisation: a client of a killed node would otherwise spin through
                // thousands of refused requests and bury the history in noise.
                _refused = false;
                await Task.Delay(RefusedPause, CancellationToken.None);
            }
        }
    }

    public async Task PutAsync(string key, CancellationToken stop)
    {
        var value = $"c{_id}-{++_sequence}";
        var entryId = $"put-{value}";
        var opId = _history.NextId();
        var invoke = Stopwatch.GetTimestamp();
        var (outcome, written, status) = await TryPutAsync(_home, key, value, entryId);
        var node = _names[_home];
        if (outcome == Outcome.Unknown && !stop.IsCancellationRequested)
        {
            var retryAt = (_home + 1) % _nodes.Count;
            node = $"{node}+{_names[retryAt]}";
            var (retried, retriedWritten, retriedStatus) = await TryPutAsync(retryAt, key, value, entryId);
            if (retried == Outcome.Ok)
            {
                (outcome, written, status) = (retried, retriedWritten, retriedStatus);
            }
        }

        var complete = outcome == Outcome.Unknown ? long.MaxValue : Stopwatch.GetTimestamp();
        _history.Add(new Operation(opId, _id, node, OpKind.Put, key, value, invoke, complete, outcome, entryId, written?.Height, written?.BlockHash, Status: status));
    }

    public async Task ReadAsync(int at, string key, bool linearizable)
    {
        var opId = _history.NextId();
        var invoke = Stopwatch.GetTimestamp();
        Outcome outcome;
        string? value = null;
        try
        {
            using var response = await _nodes[at].GetAsync($"/api/kv/{key}{(linearizable ? "?consistency=linearizable" : string.Empty)}");
            (outcome, value) = response.StatusCode switch
            {
                HttpStatusCode.OK => (Outcome.Ok, await response.Content.ReadAsStringAsync()),
                HttpStatusCode.NotFound => (Outcome.Ok, null),
                _ => (Outcome.Unknown, null),
            };
        }
        catch (Exception e) when (IsTransport(e))
        {
            // A refused read is as uninformative as a timed-out one: both are dropped by the checker.
            outcome = IsRefused(e) ? Outcome.Failed : Outcome.Unknown;
        }

        _history.Add(new Operation(opId, _id, _names[at], linearizable ? OpKind.Read : OpKind.LocalRead, key, value, invoke, Stopwatch.GetTimestamp(), outcome));
    }

    public async Task ClaimAsync(string task)
    {
        var claimant = $"c{_id}";
        var entryId = $"claim-{claimant}-{++_sequence}";
        var opId = _history.NextId();
        var invoke = Stopwatch.GetTimestamp();
        Outcome outcome;
        int? status = null;
        JsonElement answer = default;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{task}/claim") { Content = JsonContent.Create(new { claimant }) };
            request.Headers.Add("Idempotency-Key", entryId);
            using var response = await _nodes[_home].SendAsync(request);
            status = (int)response.StatusCode;
            outcome = Classify(response.StatusCode);
            if (outcome == Outcome.Ok)
            {
                answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            }
        }
        catch (Exception e) when (IsTransport(e))
        {
            outcome = IsRefused(e) ? Outcome.Failed : Outcome.Unknown;
        }

        var ok = outcome == Outcome.Ok;
        _history.Add(new Operation(
            opId,
            _id,
            _names[_home],
            OpKind.Claim,
            task,
            claimant,
            invoke,
            outcome == Outcome.Unknown ? long.MaxValue : Stopwatch.GetTimestamp(),
            outcome,
            entryId,
            Winner: ok ? answer.GetProperty("winner").GetString() : null,
            WinnerHeight: ok ? answer.GetProperty("height").GetInt64() : null,
            Status: status));
    }

    public void Dispose()
    {
        foreach (var http in _nodes)
        {
            http.Dispose();
        }
    }

    private async Task<(Outcome Outcome, Written? Written, int? Status)> TryPutAsync(int at, string key, string value, string entryId)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/kv/{key}") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(value)) };
            request.Headers.Add("Idempotency-Key", entryId);
            using var response = await _nodes[at].SendAsync(request);
            var outcome = Classify(response.StatusCode);
            return (outcome, outcome == Outcome.Ok ? await response.Content.ReadFromJsonAsync<Written>() : null, (int)response.StatusCode);
        }
        catch (Exception e) when (IsTransport(e))
        {
            return (IsRefused(e) ? Outcome.Failed : Outcome.Unknown, null, null);
        }
    }

    // A 4xx is the node refusing before it submitted anything; any 5xx may have been submitted.
    private static Outcome Classify(HttpStatusCode status) => (int)status switch
    {
        200 => Outcome.Ok,
        >= 400 and < 500 => Outcome.Failed,
        _ => Outcome.Unknown,
    };

    // Nothing listened (the node is down): the request never reached a node, so it cannot have been applied.
    private bool IsRefused(Exception e) =>
        _refused = e is HttpRequestException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } };

    private static bool IsTransport(Exception e) => e is HttpRequestException or TaskCanceledException or IOException or JsonException;

    private sealed record Written(string Key, long Height, string BlockHash, string EntryId);
}
