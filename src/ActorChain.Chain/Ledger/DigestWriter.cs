using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ActorChain.Chain.Ledger;

/// <summary>Feeds length-prefixed little-endian values into one SHA-256, so no two walks collide by concatenation.</summary>
internal sealed class DigestWriter : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[8192];
    private int _used;

    public void WriteByte(byte value) => Span(1)[0] = value;

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Span(8), value);

    public void WriteHash(Hash256 hash) => hash.WriteTo(Span(Hash256.Size));

    public void WriteText(string? text)
    {
        if (text is null)
        {
            WriteInt64(-1);
            return;
        }

        var length = ChainLimits.Utf8.GetByteCount(text);
        WriteInt64(length);
        if (length <= _buffer.Length)
        {
            ChainLimits.Utf8.GetBytes(text, Span(length));
        }
        else
        {
            WriteRaw(ChainLimits.Utf8.GetBytes(text));
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteInt64(bytes.Length);
        WriteRaw(bytes);
    }

    public Hash256 Finish()
    {
        Flush();
        Span<byte> digest = stackalloc byte[Hash256.Size];
        _hash.GetHashAndReset(digest);
        return new Hash256(digest);
    }

    public void Dispose() => _hash.Dispose();

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _buffer.Length - _used)
        {
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
            return;
        }

        Flush();
        _hash.AppendData(bytes);
    }

    private Span<byte> Span(int length)
    {
        if (length > _buffer.Length - _used)
        {
            Flush();
        }

        var span = _buffer.AsSpan(_used, length);
        _used += length;
        return span;
    }

    private void Flush()
    {
        _hash.AppendData(_buffer.AsSpan(0, _used));
        _used = 0;
    }
}
