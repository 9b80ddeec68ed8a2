using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ActorChain.Chain;

/// <summary>
/// SHA-256 for the chain's many small inputs (a Merkle leaf is one entry, an inner node 65 bytes).
/// </summary>
/// <remarks>
/// On Linux, <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> goes through OpenSSL 3's
/// EVP layer, which fetches the algorithm and allocates a context on every call: about 300 ns of
/// overhead, measured here, against about 32 ns per 64-byte block of SHA-NI work. That overhead
/// alone capped block verification near 0.35 GB/s. OpenSSL's low-level SHA256_Init/Update on a
/// stack context run the same SHA-NI code without it, so they are used when libcrypto exports them
/// and agree with the framework on known inputs; anywhere else the framework's implementation is
/// used, so the digest never depends on the platform.
/// </remarks>
// Every stackalloc here is fully written before it is read (or, for the context, only the fields
// OpenSSL reads are): zeroing them would be per-hash work for nothing.
[SkipLocalsInit]
internal static unsafe class Sha256
{
    // SHA256_CTX in OpenSSL 1.1 and 3.x: h[8], Nl, Nh, data[16], num, md_len (all 32-bit) = 112 bytes.
    // The slack guards against a larger layout and costs nothing, since the context is not zeroed.
    private const int ContextSize = 256;
    private const int NumOffset = 104;
    private const int MdLenOffset = 108;

    // A call with SuppressGCTransition holds off a GC for its duration: feed large inputs in slices.
    private const int MaxNativeSlice = 64 * 1024;

    // Inputs up to this size are padded here and compressed in one call (see Compress).
    private const int MaxSmallInput = 1024 - 9;

    // Field initializers (no static constructor) keep the type beforefieldinit, so hot paths carry no class-init checks.
    private static readonly nint Library = LoadLibrary();
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int> Init =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int>)Export("SHA256_Init");
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int> Update =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int>)Export("SHA256_Update");
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int> Final =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int>)Export("SHA256_Final");

    [ThreadStatic]
    private static IncrementalHash? _managedHasher;

    /// <summary>True when hashing goes to OpenSSL's low-level functions rather than the framework.</summary>
    public static bool IsNative { get; } = Init != null && Update != null && Final != null && NativeAgreesWithFramework();

    /// <summary>The outcome of the load-time self-test, kept so tests can see which checks ran.</summary>
    internal static SelfTestReport SelfTest { get; private set; }

    public static Hash256 Hash(ReadOnlySpan<byte> data) => Hash(data, default, default);

    /// <summary>The digest of the concatenation <paramref name="a"/> ‖ <paramref name="b"/> ‖ <paramref name="c"/>, without the caller copying them together.</summary>
    public static Hash256 Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        if (!IsNative)
        {
            return HashManaged(a, b, c);
        }

        var length = a.Length + b.Length + c.Length;
        if (length > MaxSmallInput)
        {
            return HashLargeNative(a, b, c);
        }

        var padded = (length + 9 + 63) & ~63;
        var message = stackalloc byte[padded];
        var span = new Span<byte>(message, padded);
        a.CopyTo(span);
        b.CopyTo(span[a.Length..]);
        c.CopyTo(span[(a.Length + b.Length)..]);
        Pad(span, length);
        return Compress(message, padded);
    }

    /// <summary>A Merkle inner node: SHA-256(0x01 ‖ left ‖ right).</summary>
    public static Hash256 HashNode(in Hash256 left, in Hash256 right)
    {
        const int Length = 1 + (2 * Hash256.Size);
        const int Padded = 128;
        var message = stackalloc byte[Padded];
        var span = new Span<byte>(message, Padded);
        span[0] = MerkleTree.NodePrefix;
        left.WriteTo(span[1..]);
        right.WriteTo(span[(1 + Hash256.Size)..]);
        if (!IsNative)
        {
            return HashManaged(span[..Length], default, default);
        }

        Pad(span, Length);
        return Compress(message, Padded);
    }

    /// <summary>The framework's digest of a ‖ b ‖ c: the reference the native path is checked against.</summary>
    public static Hash256 HashManaged(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        Span<byte> digest = stackalloc byte[Hash256.Size];
        var total = a.Length + b.Length + c.Length;
        if (total <= 1024)
        {
            Span<byte> joined = stackalloc byte[total];
            a.CopyTo(joined);
            b.CopyTo(joined[a.Length..]);
            c.CopyTo(joined[(a.Length + b.Length)..]);
            SHA256.HashData(joined, digest);
        }
        else
        {
            var hasher = _managedHasher ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hasher.AppendData(a);
            hasher.AppendData(b);
            hasher.AppendData(c);
            hasher.GetHashAndReset(digest);
        }

        return new Hash256(digest);
    }

    // FIPS 180-4 §5.1.1: 0x80, zeros, then the message length in bits, big-endian, ending a 64-byte block.
    private static void Pad(Span<byte> padded, int length)
    {
        padded[length] = 0x80;
        padded[(length + 1)..^8].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(padded[^8..], (ulong)length * 8);
    }

    /// <summary>
    /// Compresses an already padded message in a single call and reads the digest from the
    /// context's state words (the first member of SHA256_CTX, host order). Update-then-Final
    /// would pass through OpenSSL's block function up to three times per leaf, each with its own
    /// setup; the self-test at load time guards the layout assumption.
    /// </summary>
    private static Hash256 Compress(byte* padded, int length)
    {
        var context = stackalloc byte[ContextSize];
        InitContext(context);
        if (Update(context, padded, (nuint)length) != 1)
        {
            ThrowNativeFailure();
        }

        var state = (uint*)context;
        return new Hash256(
            Word(state[0], state[1]), Word(state[2], state[3]), Word(state[4], state[5]), Word(state[6], state[7]));
    }

    /// <summary>
    /// What SHA256_Init does, without a native call per hash: the FIPS 180-4 §5.3.3 initial hash
    /// value, a zero bit count and an empty block buffer. The buffer's bytes (data) are only read
    /// up to num, so they are left as they are. Assumes a little-endian host, like the state read
    /// in <see cref="Compress"/>; the self-test rejects the native path if either assumption fails.
    /// </summary>
    private static void InitContext(byte* context)
    {
        var words = (uint*)context;
        words[0] = 0x6a09e667;
        words[1] = 0xbb67ae85;
        words[2] = 0x3c6ef372;
        words[3] = 0xa54ff53a;
        words[4] = 0x510e527f;
        words[5] = 0x9b05688c;
        words[6] = 0x1f83d9ab;
        words[7] = 0x5be0cd19;
        *(ulong*)(context + (8 * sizeof(uint))) = 0; // Nl, Nh
        *(uint*)(context + NumOffset) = 0;
        *(uint*)(context + MdLenOffset) = Hash256.Size;
    }

    // Hash256 reads its bytes as little-endian 64-bit words; the digest bytes are the state words big-endian.
    private static ulong Word(uint first, uint second) =>
        BinaryPrimitives.ReverseEndianness(first) | ((ulong)BinaryPrimitives.ReverseEndianness(second) << 32);

    private static Hash256 HashLargeNative(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var context = stackalloc byte[ContextSize];
        if (Init(context) != 1)
        {
            ThrowNativeFailure();
        }

        Append(context, a);
        Append(context, b);
        Append(context, c);
        Span<byte> digest = stackalloc byte[Hash256.Size];
        fixed (byte* output = digest)
        {
            if (Final(output, context) != 1)
            {
                ThrowNativeFailure();
            }
        }

        return new Hash256(digest);
    }

    private static void Append(byte* context, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            for (var offset = 0; offset < data.Length; offset += MaxNativeSlice)
            {
                var length = Math.Min(MaxNativeSlice, data.Length - offset);
                if (Update(context, start + offset, (nuint)length) != 1)
                {
                    ThrowNativeFailure();
                }
            }
        }
    }

    private static nint LoadLibrary()
    {
        // Elsewhere libcrypto is absent (Windows) or must not be loaded unversioned (macOS aborts the process).
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("ACTORCHAIN_MANAGED_SHA256") == "1")
        {
            return 0;
        }

        foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (NativeLibrary.TryLoad(name, typeof(Sha256).Assembly, null, out var library))
            {
                return library;
            }
        }

        return 0;
    }

    private static nint Export(string name) =>
        Library != 0 && NativeLibrary.TryGetExport(Library, name, out var address) ? address : 0;

    /// <summary>
    /// The padding boundaries (55/56, 63/64/65, 119/120), a Merkle node's 65 bytes, a leaf's 297
    /// and the largest small input, through the managed-initialised context (<see cref="Compress"/>),
    /// plus one input larger than a native slice through SHA256_Init/Update/Final.
    /// </summary>
    internal static ReadOnlySpan<int> SelfTestLengths => [0, 1, 55, 56, 63, 64, 65, 119, 120, 297, 1000, MaxSmallInput];

    private static bool NativeAgreesWithFramework()
    {
        var sample = new byte[MaxNativeSlice + 1000];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (byte)((i * 31) + (i >> 8));
        }

        var message = stackalloc byte[1024];
        var checkedLengths = new List<int>();
        foreach (var length in SelfTestLengths)
        {
            var padded = (length + 9 + 63) & ~63;
            var span = new Span<byte>(message, padded);
            sample.AsSpan(0, length).CopyTo(span);
            Pad(span, length);
            if (Compress(message, padded) != new Hash256(SHA256.HashData(sample.AsSpan(0, length))))
            {
                SelfTest = new SelfTestReport(checkedLengths, Passed: false);
                return false;
            }

            checkedLengths.Add(length);
        }

        var split = sample.Length / 3;
        var passed = HashLargeNative(sample.AsSpan(0, split), sample.AsSpan(split), default) == new Hash256(SHA256.HashData(sample));
        SelfTest = new SelfTestReport(checkedLengths, passed);
        return passed;
    }

    private static void ThrowNativeFailure() => throw new CryptographicException("OpenSSL's SHA-256 reported a failure.");

    /// <summary>The input lengths the managed-initialised native path matched the framework on, in order, and whether every check passed.</summary>
    internal readonly record struct SelfTestReport(IReadOnlyList<int> CompressedLengths, bool Passed);
}
