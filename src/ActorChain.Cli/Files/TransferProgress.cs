namespace ActorChain.Cli.Files;

/// <summary>Rates and ETA of a transfer at one moment.</summary>
internal readonly record struct TransferRates(long FilesDone, long FilesTotal, long BytesDone, long BytesTotal, double FilesPerSecond, double MegabytesPerSecond, TimeSpan? Eta);

/// <summary>
/// Counts files and bytes as workers finish them (thread-safe); <see cref="At"/> turns the counts into rates.
/// Skipped files count as done but not as transferred bytes, so MB/s is what crossed the network while
/// ETA is over everything left.
/// </summary>
internal sealed class TransferProgress(long filesTotal, long bytesTotal)
{
    private long _filesDone;
    private long _bytesDone;
    private long _bytesSent;

    public long FilesTotal { get; } = filesTotal;

    public long BytesTotal { get; } = bytesTotal;

    public void Completed(long size, bool sent)
    {
        Interlocked.Increment(ref _filesDone);
        Interlocked.Add(ref _bytesDone, size);
        if (sent)
        {
            Interlocked.Add(ref _bytesSent, size);
        }
    }

    public TransferRates At(TimeSpan elapsed) => Compute(
        Interlocked.Read(ref _filesDone), FilesTotal, Interlocked.Read(ref _bytesDone), BytesTotal, Interlocked.Read(ref _bytesSent), elapsed);

    public static TransferRates Compute(long filesDone, long filesTotal, long bytesDone, long bytesTotal, long bytesSent, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        if (seconds <= 0 || filesDone == 0)
        {
            return new TransferRates(filesDone, filesTotal, bytesDone, bytesTotal, 0, 0, filesDone == filesTotal ? TimeSpan.Zero : null);
        }

        var filesPerSecond = filesDone / seconds;
        // Remaining time follows bytes when there are any (big and small files mix), else files.
        var eta = bytesTotal > 0 && bytesDone > 0
            ? TimeSpan.FromSeconds((bytesTotal - bytesDone) / (bytesDone / seconds))
            : TimeSpan.FromSeconds((filesTotal - filesDone) / filesPerSecond);
        return new TransferRates(filesDone, filesTotal, bytesDone, bytesTotal, filesPerSecond, bytesSent / seconds / 1_000_000, eta);
    }

    public static string Describe(TransferRates r) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{r.FilesDone}/{r.FilesTotal} files · {r.FilesPerSecond:0.0} files/s · {r.MegabytesPerSecond:0.00} MB/s · ETA {(r.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "--:--:--")}");
}
