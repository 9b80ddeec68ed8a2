using System.Buffers;

namespace ActorChain.Remote.Serialization;

/// <summary>Turns one message type into envelope payload bytes and back.</summary>
public interface IMessageSerializer<T>
{
    /// <summary>Carried in <see cref="RemoteEnvelope.SerializerId"/>; see <see cref="SerializerIds"/>.</summary>
    ushort SerializerId { get; }

    void Write(T message, IBufferWriter<byte> output);

    /// <summary>Throws <see cref="RemoteFormatException"/> when the bytes are not a <typeparamref name="T"/>.</summary>
    T Read(ReadOnlySpan<byte> payload);
}

/// <summary>Serializer ids are part of the wire protocol: never renumber.</summary>
public static class SerializerIds
{
    /// <summary>Hand-written little-endian codecs (<see cref="BinaryMessageSerializer{T}"/>) for hot messages.</summary>
    public const ushort Binary = 1;

    /// <summary>System.Text.Json with source-generated metadata, for rare messages.</summary>
    public const ushort Json = 2;
}

/// <summary>
/// Base for hand-written codecs: the message knows its size, so the payload is written once into an
/// exactly sized buffer, with no reflection and no intermediate copy.
/// </summary>
public abstract class BinaryMessageSerializer<T> : IMessageSerializer<T>
{
    public ushort SerializerId => SerializerIds.Binary;

    public abstract int GetSize(T message);

    public abstract void Write(T message, Span<byte> destination);

    public abstract T Read(ReadOnlySpan<byte> payload);

    /// <summary>
    /// True when a <typeparamref name="T"/> never changes once built: the registry then writes the payload once
    /// when the same instance is sent to several peers in a row (a broadcast), instead of once per peer.
    /// </summary>
    public virtual bool IsImmutable => false;

    public void Write(T message, IBufferWriter<byte> output)
    {
        var size = GetSize(message);
        Write(message, output.GetSpan(size)[..size]);
        output.Advance(size);
    }
}
