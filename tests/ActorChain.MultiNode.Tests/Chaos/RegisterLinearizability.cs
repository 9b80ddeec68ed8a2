namespace ActorChain.MultiNode.Tests.Chaos;

/// <summary>What the search concluded for one key.</summary>
internal sealed record LinearizabilityResult(string Key, bool Linearizable, bool Exhausted, int Operations, string Detail, IReadOnlyList<Operation> Involved);

/// <summary>
/// Wing &amp; Gong's search with Lowe's memoization (as Porcupine does it) over one key's history,
/// checked against a register: a put sets the value, a linearizable read must return the value
/// (null = never written). Unknown puts may take effect at any point after their invoke or never
/// (their return is placed after every other event; a register accepts a put anywhere, so
/// linearizing one at the very end is the same as never); unknown reads say nothing and are dropped.
/// </summary>
internal static class RegisterLinearizability
{
    /// <summary>Memo entries after which the search gives up and says so rather than guessing.</summary>
    public const int DefaultBudget = 4_000_000;

    public static IReadOnlyList<LinearizabilityResult> CheckAll(IEnumerable<Operation> history, int budget = DefaultBudget) =>
        [.. history.Where(o => o.Kind is OpKind.Put or OpKind.Read).GroupBy(o => o.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Check(g.Key, [.. g], budget))];

    public static LinearizabilityResult Check(string key, IReadOnlyList<Operation> operations, int budget = DefaultBudget)
    {
        var ops = Relevant(operations);
        if (ops.Count == 0)
        {
            return new(key, true, false, 0, "no operations", []);
        }

        // States: -1 absent, else the index of the written value.
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        int StateOf(string? value)
        {
            if (value is null)
            {
                return -1;
            }

            if (!values.TryGetValue(value, out var index))
            {
                index = values.Count;
                values[value] = index;
            }

            return index;
        }

        var n = ops.Count;
        var isWrite = new bool[n];
        var value = new int[n];
        for (var i = 0; i < n; i++)
        {
            isWrite[i] = ops[i].Kind == OpKind.Put;
            value[i] = StateOf(ops[i].Value);
        }

        var list = EventList.Build(ops);
        var linearized = new BitSet(n);
        var cache = new HashSet<(BitSet, int)>();
        var calls = new Stack<(EventList.Node Call, int StateBefore)>();
        var state = -1;
        var deepest = 0;
        Operation? stuckAt = null;
        var node = list.Head.Next;
        while (list.Head.Next is not null)
        {
            if (node!.IsCall)
            {
                var op = node.Op;
                var legal = isWrite[op] || value[op] == state;
                var next = isWrite[op] ? value[op] : state;
                if (legal)
                {
                    linearized.Set(op);
                    if (!cache.Contains((linearized, next)))
                    {
                        cache.Add((linearized.Copy(), next));
                        calls.Push((node, state));
                        state = next;
                        EventList.Lift(node);
                        if (calls.Count > deepest)
                        {
                            deepest = calls.Count;
                            stuckAt = null;
                        }

                        if (cache.Count > budget)
                        {
                            return new(key, false, true, n, $"search budget of {budget} states exhausted after linearizing {deepest} of {n} operations", []);
                        }

                        node = list.Head.Next;
                        continue;
                    }

                    linearized.Clear(op);
                }

                node = node.Next;
            }
            else
            {
                if (calls.Count == deepest && stuckAt is null)
                {
                    stuckAt = ops[node.Op];
                }

                if (calls.Count == 0)
                {
                    var culprit = stuckAt ?? ops[node.Op];
                    var around = ops.Where(o => o.Invoke <= culprit.Complete && o.Complete >= culprit.Invoke && o != culprit).Take(12).ToList();
                    return new(
                        key,
                        false,
                        false,
                        n,
                        $"no linearization: at most {deepest} of {n} operations linearize; none can put {culprit} in order",
                        [culprit, .. around]);
                }

                var (call, before) = calls.Pop();
                state = before;
                linearized.Clear(call.Op);
                EventList.Unlift(call);
                node = call.Next;
            }
        }

        return new(key, true, false, n, $"linearizable ({n} operations, {cache.Count} states searched)", []);
    }

    // Unknown reads carry no information; an unknown put whose value nobody read can always be
    // linearized as "never" (a linearization with it must have another put right after it), so
    // dropping it keeps the answer and shrinks the search.
    private static List<Operation> Relevant(IReadOnlyList<Operation> operations)
    {
        var read = operations.Where(o => o.Kind == OpKind.Read && o.Outcome == Outcome.Ok && o.Value is not null).Select(o => o.Value!).ToHashSet(StringComparer.Ordinal);
        return [.. operations.Where(o => o.Outcome switch
        {
            Outcome.Ok => true,
            Outcome.Unknown => o.Kind == OpKind.Put && read.Contains(o.Value!),
            _ => false,
        })];
    }

    /// <summary>Lowe's doubly linked list of call and return events, in time order; linearizing a call lifts it and its return out.</summary>
    private sealed class EventList
    {
        public Node Head { get; } = new(false, -1);

        public static EventList Build(IReadOnlyList<Operation> ops)
        {
            // A call sorts before a return at the same tick: equal times count as overlapping, never as ordered.
            var events = new List<(long Time, int Order, Node Node)>(ops.Count * 2);
            var returns = new Node[ops.Count];
            for (var i = 0; i < ops.Count; i++)
            {
                var call = new Node(true, i);
                returns[i] = new Node(false, i);
                call.Match = returns[i];
                var complete = ops[i].Outcome == Outcome.Unknown ? long.MaxValue : ops[i].Complete;
                events.Add((ops[i].Invoke, 0, call));
                events.Add((complete, 1, returns[i]));
            }

            var list = new EventList();
            var last = list.Head;
            foreach (var (_, _, node) in events.OrderBy(e => e.Time).ThenBy(e => e.Order).ThenBy(e => e.Node.Op))
            {
                last.Next = node;
                node.Prev = last;
                last = node;
            }

            return list;
        }

        public static void Lift(Node call)
        {
            call.Prev!.Next = call.Next;
            call.Next!.Prev = call.Prev;
            var ret = call.Match!;
            ret.Prev!.Next = ret.Next;
            if (ret.Next is not null)
            {
                ret.Next.Prev = ret.Prev;
            }
        }

        public static void Unlift(Node call)
        {
            var ret = call.Match!;
            ret.Prev!.Next = ret;
            if (ret.Next is not null)
            {
                ret.Next.Prev = ret;
            }

            call.Prev!.Next = call;
            call.Next!.Prev = call;
        }

        public sealed class Node(bool isCall, int op)
        {
            public bool IsCall { get; } = isCall;

            public int Op { get; } = op;

            public Node? Match { get; set; }

            public Node? Prev { get; set; }

            public Node? Next { get; set; }
        }
    }

    /// <summary>The set of linearized operations, compared by value for the memo.</summary>
    private sealed class BitSet : IEquatable<BitSet>
    {
        private readonly ulong[] _words;

        public BitSet(int size) => _words = new ulong[(size + 63) / 64];

        private BitSet(ulong[] words) => _words = words;

        public void Set(int i) => _words[i >> 6] |= 1UL << (i & 63);

        public void Clear(int i) => _words[i >> 6] &= ~(1UL << (i & 63));

        public BitSet Copy() => new((ulong[])_words.Clone());

        public bool Equals(BitSet? other) => other is not null && _words.AsSpan().SequenceEqual(other._words);

        public override bool Equals(object? obj) => Equals(obj as BitSet);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var word in _words)
            {
                hash.Add(word);
            }

            return hash.ToHashCode();
        }
    }
}
