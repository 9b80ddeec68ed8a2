using System.Globalization;

namespace ActorChain.Tests.Fuzz;

/// <summary>A decoder under fuzz: valid encodings to mutate, the decode call, and what it may throw.</summary>
/// <param name="Name">Names the codec in failure messages.</param>
/// <param name="Seeds">Valid encodings; most cases are mutations of these.</param>
/// <param name="Decode">Decodes one input; it must run synchronously on the calling thread (allocations are measured there).</param>
/// <param name="IsDocumented">True for the codec's documented format exception (anything else is a crash).</param>
/// <param name="MaxAllocatedBytes">The most one decode may allocate: the frame limit by default.</param>
internal sealed record FuzzTarget(
    string Name,
    IReadOnlyList<byte[]> Seeds,
    FuzzDecode Decode,
    Func<Exception, bool> IsDocumented,
    long MaxAllocatedBytes = FuzzEngine.DefaultMaxAllocatedBytes);

internal delegate void FuzzDecode(ReadOnlySpan<byte> input);

/// <summary>Thrown with the input that broke a rule, as hex, so the case can become a regression test.</summary>
internal sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Seeded, deterministic mutation fuzzing for the wire and storage decoders: random bytes and mutated
/// valid encodings (bit flips, truncation, length fields set huge or negative, duplicated and spliced
/// sections). A case fails when the decoder throws anything but its documented format exception,
/// allocates more than the frame limit (a length field trusted before it was checked), or does not
/// return. The normal suite runs a few thousand cases per codec; <c>ACTORCHAIN_FUZZ_CASES</c> sets the
/// cases per codec for a long run, <c>ACTORCHAIN_FUZZ_SEED</c> the seed.
/// </summary>
internal static class FuzzEngine
{
    /// <summary>max-frame-size's default, 4 MiB: no single message may make a node allocate more.</summary>
    public const long DefaultMaxAllocatedBytes = 4L * 1024 * 1024;

    public const string CasesVariable = "ACTORCHAIN_FUZZ_CASES";
    public const string SeedVariable = "ACTORCHAIN_FUZZ_SEED";

    private static readonly long[] InterestingInt32 =
        [0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, int.MinValue, 0x400000, 0x400001, 1_000_001, 16 * 1024 * 1024 + 1];

    private static readonly long[] InterestingInt64 = [0, -1, long.MaxValue, long.MinValue, int.MaxValue, (long)int.MaxValue + 1, uint.MaxValue];

    /// <summary>Cases per codec: <paramref name="normal"/>, or the long-run count from the environment.</summary>
    public static int Cases(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0
            ? cases
            : normal;

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : 20261121;

    /// <summary>Runs <paramref name="cases"/> cases against each target; throws <see cref="FuzzFailure"/> on the first broken rule.</summary>
    public static async Task<FuzzReport> RunAsync(IEnumerable<FuzzTarget> targets, int cases)
    {
        var list = targets.ToList();

        // A decoder stuck in a loop never returns: the run gets a generous bound per case instead.
        var bound = TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(list.Count * (double)cases / 5);
        var run = Task.Factory.StartNew(() => list.Select(t => Run(t, cases)).ToList(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            var reports = await run.WaitAsync(bound).ConfigureAwait(false);
            return new FuzzReport(reports.Sum(static r => r.Cases), reports.Sum(static r => r.Rejected), reports.Max(static r => r.MaxAllocated));
        }
        catch (TimeoutException)
        {
            throw new FuzzFailure($"the fuzz run over [{string.Join(", ", list.Select(static t => t.Name))}] did not finish within {bound}: a decoder hangs.");
        }
    }

    /// <summary>One target, synchronously on this thread.</summary>
    public static FuzzReport Run(FuzzTarget target, int cases)
    {
        if (target.Seeds.Count == 0)
        {
            throw new ArgumentException($"{target.Name} has no seed encodings.", nameof(target));
        }

        var random = new Random(unchecked((Seed * 31) + StableHash(target.Name)));
        var rejected = 0;
        long maxAllocated = 0;

        // The valid encodings themselves must decode, or the mutations test nothing.
        foreach (var seed in target.Seeds)
        {
            Check(target, seed, -1, mustDecode: true, ref maxAllocated);
        }

        for (var i = 0; i < cases; i++)
        {
            var input = Generate(random, target.Seeds);
            if (!Check(target, input, i, mustDecode: false, ref maxAllocated))
            {
                rejected++;
            }
        }

        return new FuzzReport(cases, rejected, maxAllocated);
    }

    /// <summary>A mutated input for <paramref name="seeds"/>; exposed so a driver can replay a case.</summary>
    public static byte[] Generate(Random random, IReadOnlyList<byte[]> seeds)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(random.Next(2) == 0 ? 16 : 512)];
            random.NextBytes(noise);
            if (noise.Length > 0 && random.Next(2) == 0)
            {
                // Keep a real first byte: most codecs dispatch on it, so noise reaches past the type check.
                noise[0] = seeds[random.Next(seeds.Count)] is { Length: > 0 } s ? s[0] : noise[0];
            }

            return noise;
        }

        var bytes = new List<byte>(seeds[random.Next(seeds.Count)]);
        var mutations = 1 + random.Next(random.Next(2) == 0 ? 1 : 4);
        for (var m = 0; m < mutations; m++)
        {
            Mutate(random, bytes, seeds);
        }

        return [.. bytes];
    }

    private static bool Check(FuzzTarget target, byte[] input, int index, bool mustDecode, ref long maxAllocated)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Exception? thrown = null;
        try
        {
            target.Decode(input);
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        maxAllocated = Math.Max(maxAllocated, allocated);
        var where = index < 0 ? "seed encoding" : $"case {index} (seed {Seed})";
        if (thrown is not null && (mustDecode || !target.IsDocumented(thrown)))
        {
            throw new FuzzFailure(
                $"{target.Name}: {where} threw {thrown.GetType().Name}{InnerTypes(thrown)}: {thrown.Message}\ninput ({input.Length} bytes): {Hex(input)}", thrown);
        }

        if (allocated > target.MaxAllocatedBytes)
        {
            throw new FuzzFailure(
                $"{target.Name}: {where} allocated {allocated} bytes decoding {input.Length} bytes (limit {target.MaxAllocatedBytes})\ninput: {Hex(input)}");
        }

        return thrown is null;
    }

    private static void Mutate(Random random, List<byte> bytes, IReadOnlyList<byte[]> seeds)
    {
        var length = bytes.Count;
        switch (random.Next(12))
        {
            case 0 when length > 0:
                bytes[random.Next(length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when length > 0:
                bytes[random.Next(length)] = (byte)(random.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => 0x7F, _ => random.Next(256) });
                break;
            case 2 when length > 0:
            {
                var cut = random.Next(length);
                bytes.RemoveRange(cut, length - cut);
                break;
            }

            case 3 when length > 0:
                bytes.RemoveRange(0, 1 + random.Next(Math.Min(8, length)));
                break;
            case 4:
            {
                var extra = new byte[1 + random.Next(16)];
                random.NextBytes(extra);
                bytes.InsertRange(random.Next(length + 1), extra);
                break;
            }

            case 5 when length >= 2:
                Overwrite(bytes, random.Next(length - 1), BitConverter.GetBytes((ushort)(random.Next(2) == 0 ? 0xFFFF : random.Next(0x10000))));
                break;
            case 6 when length >= 4:
            case 7 when length >= 4:
                Overwrite(bytes, random.Next(length - 3), BitConverter.GetBytes((int)InterestingInt32[random.Next(InterestingInt32.Length)]));
                break;
            case 8 when length >= 8:
                Overwrite(bytes, random.Next(length - 7), BitConverter.GetBytes(InterestingInt64[random.Next(InterestingInt64.Length)]));
                break;
            case 9 when length > 0:
            {
                // Duplicate a section: a repeated field, entry or list item.
                var start = random.Next(length);
                var count = 1 + random.Next(Math.Min(64, length - start));
                var section = bytes.GetRange(start, count);
                bytes.InsertRange(start + count, section);
                break;
            }

            case 10:
            {
                // Splice: the head of this encoding with the tail of another.
                var other = seeds[random.Next(seeds.Count)];
                var cut = random.Next(length + 1);
                var from = random.Next(other.Length + 1);
                bytes.RemoveRange(cut, length - cut);
                bytes.AddRange(other.AsSpan(from).ToArray());
                break;
            }

            case 11 when length > 0:
                bytes.RemoveRange(random.Next(length), 1);
                break;
            default:
                bytes.Add((byte)random.Next(256));
                break;
        }
    }

    private static void Overwrite(List<byte> bytes, int at, byte[] value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            bytes[at + i] = value[i];
        }
    }

    private static string InnerTypes(Exception ex)
    {
        var names = new List<string>();
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            names.Add(inner.GetType().Name);
        }

        return names.Count == 0 ? string.Empty : $" (inner {string.Join(" <- ", names)})";
    }

    private static string Hex(byte[] input) =>
        input.Length <= 4096 ? Convert.ToHexStringLower(input) : $"{Convert.ToHexStringLower(input.AsSpan(0, 4096))}… ({input.Length} bytes)";

    private static int StableHash(string text)
    {
        var hash = unchecked((int)2166136261);
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }
}

/// <summary>What a run did: cases, how many the decoder refused (with its format exception), and the largest allocation of one decode.</summary>
internal readonly record struct FuzzReport(long Cases, long Rejected, long MaxAllocated)
{
    public override string ToString() =>
        $"fuzz (seed {FuzzEngine.Seed}): {Cases} cases, {Rejected} refused with the format exception, largest allocation of one decode {MaxAllocated} bytes";
}
