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
/// overhead, measured here, against about 40 ns per 64-byte block of SHA-NI work. That overhead
/// alone capped block verification near 0.35 GB/s. OpenSSL's low-level SHA256_Init/Update/Final on
/// a stack context use the same SHA-NI code without it (86 ns for 65 bytes instead of 320 ns), so
/// they are used when libcrypto exports them and agree with the framework on known inputs; anywhere
/// else the framework's implementation is used, so the digest never depends on the platform.
/// </remarks>
internal static unsafe class Sha256
{
    // SHA256_CTX is 112 bytes in OpenSSL 1.1 and 3.x; the slack guards against a larger layout.
    private const int ContextSize = 256;

    // A call with SuppressGCTransition holds off a GC for its duration: feed large inputs in slices.
    private const int MaxNativeSlice = 64 * 1024;

    // Inputs up to this size are padded here and compressed in one call (see HashSmallNative).
    private const int MaxSmallInput = 1024 - 9;

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int> Init;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int> Update;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int> Final;

    [ThreadStatic]
    private static IncrementalHash? _managedHasher;

    static Sha256()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("ACTORCHAIN_MANAGED_SHA256") == "1")
        {
            return;
        }

        foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (NativeLibrary.TryLoad(name, typeof(Sha256).Assembly, null, out var library)
                && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                Init = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int>)init;
                Update = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int>)update;
                Final = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int>)final;
                if (NativeAgreesWithFramework())
                {
                    IsNative = true;
                    return;
                }
            }
        }
    }

    /// <summary>True when hashing goes to OpenSSL's low-level functions rather than the framework.</summary>
    public static bool IsNative { get; }

    public static Hash256 Hash(ReadOnlySpan<byte> data) => Hash(data, default, default);

    /// <summary>The digest of the concatenation <paramref name="a"/> ‖ <paramref name="b"/> ‖ <paramref name="c"/>, without copying them together.</summary>
    [SkipLocalsInit]
    public static Hash256 Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        Span<byte> digest = stackalloc byte[Hash256.Size];
        if (IsNative)
        {
            HashNative(a, b, c, digest);
        }
        else
        {
            HashManaged(a, b, c, digest);
        }

        return new Hash256(digest);
    }

    /// <summary>The framework's digest of a ‖ b ‖ c: the reference the native path is checked against.</summary>
    [SkipLocalsInit]
    public static void HashManaged(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> digest)
    {
        var total = a.Length + b.Length + c.Length;
        if (total <= 1024)
        {
            Span<byte> joined = stackalloc byte[total];
            a.CopyTo(joined);
            b.CopyTo(joined[a.Length..]);
            c.CopyTo(joined[(a.Length + b.Length)..]);
            SHA256.HashData(joined, digest);
            return;
        }

        var hasher = _managedHasher ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hasher.AppendData(a);
        hasher.AppendData(b);
        hasher.AppendData(c);
        hasher.GetHashAndReset(digest);
    }

    private static void HashNative(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> digest)
    {
        if (a.Length + b.Length + c.Length <= MaxSmallInput)
        {
            HashSmallNative(a, b, c, digest);
        }
        else
        {
            HashLargeNative(a, b, c, digest);
        }
    }

    /// <summary>
    /// Pads the message here (FIPS 180-4 §5.1.1) so OpenSSL compresses every block in one call
    /// and reads the digest from the context's state words, the first member of SHA256_CTX:
    /// Update-then-Final on a leaf costs three passes through OpenSSL's block function, each with
    /// its own setup, which measured about a third of the time of a 300-byte leaf.
    /// </summary>
    [SkipLocalsInit]
    private static void HashSmallNative(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> digest)
    {
        var length = a.Length + b.Length + c.Length;
        var padded = (length + 9 + 63) & ~63;
        var message = stackalloc byte[padded];
        var span = new Span<byte>(message, padded);
        a.CopyTo(span);
        b.CopyTo(span[a.Length..]);
        c.CopyTo(span[(a.Length + b.Length)..]);
        span[length] = 0x80;
        span[(length + 1)..(padded - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(span[(padded - 8)..], (ulong)length * 8);

        var context = stackalloc byte[ContextSize];
        if (Init(context) != 1 || Update(context, message, (nuint)padded) != 1)
        {
            ThrowNativeFailure();
        }

        var state = new ReadOnlySpan<uint>(context, 8);
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], state[i]);
        }
    }

    [SkipLocalsInit]
    private static void HashLargeNative(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> digest)
    {
        var context = stackalloc byte[ContextSize];
        if (Init(context) != 1)
        {
            ThrowNativeFailure();
        }

        Append(context, a);
        Append(context, b);
        Append(context, c);
        fixed (byte* output = digest)
        {
            if (Final(output, context) != 1)
            {
                ThrowNativeFailure();
            }
        }
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

    private static bool NativeAgreesWithFramework()
    {
        var sample = new byte[MaxNativeSlice + 1000];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (byte)((i * 31) + (i >> 8));
        }

        Span<byte> native = stackalloc byte[Hash256.Size];
        Span<byte> framework = stackalloc byte[Hash256.Size];
        foreach (var length in (ReadOnlySpan<int>)[0, 1, 55, 56, 63, 64, 65, 119, 120, 300, MaxSmallInput, MaxSmallInput + 1, sample.Length])
        {
            var split = length / 3;
            HashNative(sample.AsSpan(0, split), sample.AsSpan(split, length - split), default, native);
            SHA256.HashData(sample.AsSpan(0, length), framework);
            if (!native.SequenceEqual(framework))
            {
                return false;
            }
        }

        return true;
    }

    private static void ThrowNativeFailure() => throw new CryptographicException("OpenSSL's SHA-256 reported a failure.");
}
