using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;

namespace ActorChain.Remote.Serialization;

/// <summary>
/// Maps each message type to a stable numeric type id (carried in <see cref="RemoteEnvelope.TypeId"/>)
/// and to its serializer. Ids are part of the wire protocol: assign each once and never reuse it.
/// </summary>
public sealed class SerializerRegistry
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    // The last immutable message this thread serialized and its payload: a broadcast's second and later sends reuse it.
    [ThreadStatic]
    private static object? t_lastImmutable;

    [ThreadStatic]
    private static byte[]? t_lastImmutablePayload;

    private readonly ConcurrentDictionary<Type, Entry> _byType = new();
    private readonly ConcurrentDictionary<int, Entry> _byId = new();

    public void Register<T>(int typeId, IMessageSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        var entry = new Entry<T>(typeId, serializer);
        if (!_byId.TryAdd(typeId, entry))
        {
            throw new InvalidOperationException($"Type id {typeId} is already taken by {_byId[typeId].Type.Name}.");
        }

        if (!_byType.TryAdd(typeof(T), entry))
        {
            _byId.TryRemove(typeId, out _);
            throw new InvalidOperationException($"{typeof(T).Name} is already registered.");
        }
    }

    public void RegisterJson<T>(int typeId, JsonTypeInfo<T> typeInfo) => Register(typeId, new JsonMessageSerializer<T>(typeInfo));

    public bool TryGetTypeId(Type type, out int typeId)
    {
        if (_byType.TryGetValue(type, out var entry))
        {
            typeId = entry.TypeId;
            return true;
        }

        typeId = 0;
        return false;
    }

    public RemoteEnvelope ToEnvelope<T>(string recipient, string sender, T message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_byType.TryGetValue(message.GetType(), out var entry))
        {
            throw new InvalidOperationException($"{message.GetType().Name} has no registered serializer.");
        }

        var payload = entry.Serialize(message);
        return new RemoteEnvelope(recipient, sender, entry.SerializerId, entry.TypeId, payload);
    }

    /// <summary>Throws <see cref="RemoteFormatException"/> for an unknown type id, a serializer mismatch or bad bytes.</summary>
    public object FromEnvelope(in RemoteEnvelope envelope)
    {
        if (!_byId.TryGetValue(envelope.TypeId, out var entry))
        {
            throw new RemoteFormatException($"type id {envelope.TypeId} is not registered");
        }

        if (entry.SerializerId != envelope.SerializerId)
        {
            throw new RemoteFormatException($"type id {envelope.TypeId} uses serializer {entry.SerializerId}, not {envelope.SerializerId}");
        }

        try
        {
            return entry.Deserialize(envelope.Payload.Span);
        }
        catch (Exception ex) when (ex is not RemoteFormatException and not OutOfMemoryException)
        {
            throw new RemoteFormatException($"type id {envelope.TypeId} ({entry.Type.Name}) failed to decode: {ex.Message}", ex);
        }
    }

    private static ArrayBufferWriter<byte> RentBuffer()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        return buffer;
    }

    private abstract class Entry(int typeId, Type type, ushort serializerId)
    {
        public int TypeId { get; } = typeId;

        public Type Type { get; } = type;

        public ushort SerializerId { get; } = serializerId;

        public abstract byte[] Serialize(object message);

        public abstract object Deserialize(ReadOnlySpan<byte> payload);
    }

    private sealed class Entry<T>(int typeId, IMessageSerializer<T> serializer)
        : Entry(typeId, typeof(T), serializer.SerializerId)
    {
        public override byte[] Serialize(object message)
        {
            var typed = (T)message;
            if (serializer is BinaryMessageSerializer<T> binary)
            {
                if (binary.IsImmutable && ReferenceEquals(message, t_lastImmutable))
                {
                    return t_lastImmutablePayload!;
                }

                // Exact size known: write once into the payload array itself.
                var payload = new byte[binary.GetSize(typed)];
                binary.Write(typed, payload);
                if (binary.IsImmutable)
                {
                    (t_lastImmutable, t_lastImmutablePayload) = (message, payload);
                }

                return payload;
            }

            // Unknown size: write into a reused per-thread buffer, then copy out exactly.
            var buffer = RentBuffer();
            serializer.Write(typed, buffer);
            var bytes = buffer.WrittenSpan.ToArray();
            if (buffer.Capacity > 1024 * 1024)
            {
                t_buffer = null;
            }

            return bytes;
        }

        public override object Deserialize(ReadOnlySpan<byte> payload) => serializer.Read(payload)!;
    }
}
