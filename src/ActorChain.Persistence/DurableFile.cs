using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ActorChain.Persistence;

/// <summary>The fsync steps that make a created, renamed or appended file survive a power cut.</summary>
internal static partial class DurableFile
{
    private const int Eintr = 4;

    /// <summary>A file appended in place (<see cref="WriteInPlace"/>) grows by this many bytes of written zeros at a time.</summary>
    public const int GrowBytes = 1024 * 1024;

    /// <summary>A commit loop keeps its write buffer between commits up to this size; a larger one (a rare huge record) is dropped after use.</summary>
    public const int RetainedBufferBytes = 4 * 1024 * 1024;

    private static readonly byte[] Zeros = new byte[64 * 1024];

    /// <summary>Writes to a temporary file, fsyncs it, renames it over <paramref name="path"/> and fsyncs the directory: readers see the old file or the new one, never a mix.</summary>
    public static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await RandomAccess.WriteAsync(handle, contents, 0, cancellationToken).ConfigureAwait(false);
                RandomAccess.FlushToDisk(handle);
            }

            File.Move(temp, path, overwrite: true);
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Makes a directory's entries (a created, renamed or deleted file) durable. Windows has no such call; NTFS journals the metadata itself.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Makes the file's data durable (fdatasync), and its size or block map only if those changed; a changed
    /// modification time alone is not written. An append into space the file already holds (see
    /// <see cref="WriteZeros"/>) then costs one data write and one cache flush, not also an inode write.
    /// </summary>
    public static void SyncData(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }

        while (FdataSync(handle) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                throw new IOException($"fdatasync failed (errno {errno}).");
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/> and makes it durable. Within
    /// <paramref name="allocated"/>, zeros written earlier, that takes one fdatasync and no metadata write;
    /// past it the file first grows to the next multiple of <see cref="GrowBytes"/> with written zeros and a
    /// full fsync. Returns the file's size after.
    /// </summary>
    public static long WriteInPlace(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset, long allocated)
    {
        RandomAccess.Write(handle, data, offset);
        var end = offset + data.Length;
        if (end <= allocated)
        {
            SyncData(handle);
            return allocated;
        }

        var grown = RoundUpToGrowth(end);
        WriteZeros(handle, end, grown - end);
        RandomAccess.FlushToDisk(handle);
        return grown;
    }

    /// <summary>
    /// The commit loop's buffer, emptied for the next commit: reused, so a commit allocates nothing and does not
    /// grow a fresh buffer by doubling, unless the last one held a huge record (then a new one, so it is not kept).
    /// </summary>
    public static ArrayBufferWriter<byte> ReuseBuffer(ref ArrayBufferWriter<byte>? buffer)
    {
        if (buffer is null || buffer.Capacity > RetainedBufferBytes)
        {
            buffer = new ArrayBufferWriter<byte>(64 * 1024);
        }

        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>The size a file of <paramref name="bytes"/> is grown to. Never 0: an empty file still gets its first step, so its first append writes no metadata either.</summary>
    public static long RoundUpToGrowth(long bytes) => Math.Max(1, (bytes + GrowBytes - 1) / GrowBytes) * GrowBytes;

    /// <summary>Writes <paramref name="count"/> zero bytes from <paramref name="offset"/>: real blocks, not a hole or an unwritten extent, so later writes there change no metadata.</summary>
    public static void WriteZeros(SafeFileHandle handle, long offset, long count)
    {
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, Zeros.Length);
            RandomAccess.Write(handle, Zeros.AsSpan(0, chunk), offset);
            offset += chunk;
            count -= chunk;
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FdataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
