using System.Text;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using Microsoft.Extensions.Logging;

namespace ActorChain.Persistence.Tests;

/// <summary>A fresh directory under the temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actorchain-persistence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

internal static class TestChains
{
    public const string ClusterId = "persistence-tests";

    public static Block Genesis() => GenesisPayload.CreateGenesisBlock(ClusterId, ["node-a", "node-b", "node-c"], 1_000);

    /// <summary>Block 0 plus <paramref name="count"/> blocks of kv.puts, each entry id unique.</summary>
    public static List<Block> KvChain(int count, int entriesPerBlock = 3, int valueBytes = 16)
    {
        var chain = new List<Block> { Genesis() };
        Extend(chain, count, entriesPerBlock, valueBytes);
        return chain;
    }

    public static void Extend(List<Block> chain, int count, int entriesPerBlock = 3, int valueBytes = 16)
    {
        for (var i = 0; i < count; i++)
        {
            chain.Add(Next(chain[^1], entriesPerBlock, valueBytes));
        }
    }

    public static Block Next(Block previous, int entriesPerBlock = 3, int valueBytes = 16, string proposer = "node-a")
    {
        var height = previous.Height + 1;
        var entries = new Entry[entriesPerBlock];
        for (var i = 0; i < entries.Length; i++)
        {
            var value = new byte[valueBytes];
            new Random((int)(height * 1000) + i).NextBytes(value);
            var payload = new KvPutPayload($"key-{(height * 7 + i) % 50}", value).Encode();
            entries[i] = new Entry($"{proposer}-e-{height}-{i}", EntryKind.KvPut, payload, proposer, 1_000 + height);
        }

        return Block.Create(height, previous.Hash, 1_000 + height, proposer, entries);
    }

    public static LedgerState Replay(IEnumerable<Block> blocks)
    {
        var ledger = new LedgerState();
        foreach (var block in blocks)
        {
            ledger.Apply(block);
        }

        return ledger;
    }
}

/// <summary>Random entries of every kind over small vocabularies, so they collide, repeat ids and break rules.</summary>
internal sealed class RandomLedgerHistory(int seed)
{
    private static readonly string[] Tags = ["family", "beach", "cat", "dog", "xmas", "snow", "ål"];
    private static readonly string[] Nodes = ["node-a", "node-b", "node-c", "node-d"];
    private static readonly string[] FieldNames = ["rating", "album", "when", "where", "labels"];

    private readonly Random _random = new(seed);

    public List<Block> Blocks { get; } = [TestChains.Genesis()];

    public Block NextBlock()
    {
        var count = _random.Next(0, 8);
        var entries = new List<Entry>();
        for (var i = 0; i < count; i++)
        {
            entries.Add(NextEntry(entries));
        }

        var previous = Blocks[^1];
        var block = Block.Create(previous.Height + 1, previous.Hash, 2_000 + previous.Height, Pick(Nodes), entries);
        Blocks.Add(block);
        return block;
    }

    private Entry NextEntry(List<Entry> inBlock)
    {
        string id;
        do
        {
            id = "e" + _random.Next(0, 200);
        }
        while (inBlock.Any(e => e.Id == id));

        var (kind, payload) = _random.Next(0, 10) switch
        {
            0 or 1 => (EntryKind.KvPut, new KvPutPayload("k" + _random.Next(0, 12), Bytes(_random.Next(0, 40))).Encode()),
            2 => (EntryKind.KvDelete, new KvDeletePayload("k" + _random.Next(0, 12)).Encode()),
            3 => (EntryKind.FieldDefine, new FieldDefinePayload(Pick(FieldNames), (FieldType)_random.Next(1, 6)).Encode()),
            4 => (EntryKind.FileAdd, FileAdd().Encode()),
            5 => (EntryKind.FileMeta, FileMeta().Encode()),
            6 => (EntryKind.FileDelete, new FileDeletePayload("f" + _random.Next(0, 6)).Encode()),
            7 => (EntryKind.TaskClaim, new TaskClaimPayload("task" + _random.Next(0, 4), Pick(Nodes)).Encode()),
            8 => (EntryKind.VoterAdd, new VoterAddPayload(Pick(Nodes)).Encode()),
            _ => (EntryKind.VoterRemove, new VoterRemovePayload(Pick(Nodes)).Encode()),
        };
        return new Entry(id, kind, payload, Pick(Nodes), 5_000 + _random.Next(0, 1000));
    }

    private FileAddPayload FileAdd()
    {
        var fileId = "f" + _random.Next(0, 6);
        var media = _random.Next(0, 3) == 0
            ? null
            : new MediaMetadata(
                _random.Next(0, 2) == 0 ? null : 1_420_070_400_000L + (_random.Next(0, 3650) * 86_400_000L),
                "Canon",
                _random.Next(0, 2) == 0 ? null : "EOS 5D",
                _random.Next(0, 2) == 0 ? null : new GeoPoint(_random.Next(-90, 91), _random.Next(-180, 181)),
                4000,
                3000);
        return new FileAddPayload(
            fileId, Hash256.Compute(Encoding.UTF8.GetBytes(fileId)), _random.Next(0, 100_000), Pick(["IMG_1.jpg", "holiday.png", "Scan 3.tif"]),
            "image/jpeg", SomeTags(), SomeFields(), media);
    }

    private FileMetaPayload FileMeta()
    {
        var add = SomeTags().Take(3).ToArray();
        var remove = SomeTags().Except(add).Take(2).ToArray();
        var set = SomeFields();
        var clear = FieldNames.Where(name => set.All(f => f.Key != name) && _random.Next(0, 4) == 0).ToArray();
        return new FileMetaPayload("f" + _random.Next(0, 6), add, remove, set, clear);
    }

    private string[] SomeTags() => Tags.Where(_ => _random.Next(0, 3) == 0).ToArray();

    private KeyValuePair<string, FieldValue>[] SomeFields()
    {
        var fields = new List<KeyValuePair<string, FieldValue>>();
        foreach (var name in FieldNames.Where(_ => _random.Next(0, 4) == 0))
        {
            FieldValue value = _random.Next(0, 5) switch
            {
                0 => FieldValue.String("v" + _random.Next(0, 3)),
                1 => FieldValue.Number(_random.Next(0, 5) / 2.0),
                2 => FieldValue.Date(1_420_070_400_000L + _random.Next(0, 1000)),
                3 => FieldValue.Geo(_random.Next(-90, 91), _random.Next(-180, 181)),
                _ => FieldValue.Tags(SomeTags()),
            };
            fields.Add(new(name, value));
        }

        return [.. fields];
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}

/// <summary>Keeps every log line so tests can check what an operator would see.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<(EventId Id, LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add((eventId, logLevel, formatter(state, exception)));
        }
    }

    public bool Has(int eventId) => Lines.Any(l => l.Id.Id == eventId);
}
