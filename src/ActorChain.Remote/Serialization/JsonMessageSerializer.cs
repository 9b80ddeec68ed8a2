using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorChain.Remote.Serialization;

/// <summary>
/// The fallback for rare messages: System.Text.Json driven by a source-generated
/// <c>JsonSerializerContext</c>'s <see cref="JsonTypeInfo{T}"/>, so it needs no runtime reflection.
/// </summary>
public sealed class JsonMessageSerializer<T>(JsonTypeInfo<T> typeInfo) : IMessageSerializer<T>
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly JsonTypeInfo<T> _typeInfo = typeInfo ?? throw new ArgumentNullException(nameof(typeInfo));

    public ushort SerializerId => SerializerIds.Json;

    public void Write(T message, IBufferWriter<byte> output)
    {
        // One writer per thread, reset onto each output, instead of a new writer per message.
        var writer = t_writer ??= new Utf8JsonWriter(output);
        writer.Reset(output);
        try
        {
            JsonSerializer.Serialize(writer, message, _typeInfo);
            writer.Flush();
        }
        finally
        {
            writer.Reset(NullBufferWriter.Instance);
        }
    }

    public T Read(ReadOnlySpan<byte> payload)
    {
        T? message;
        try
        {
            message = JsonSerializer.Deserialize(payload, _typeInfo);
        }
        catch (JsonException ex)
        {
            throw new RemoteFormatException($"the payload is not a JSON {typeof(T).Name}: {ex.Message}", ex);
        }

        return message ?? throw new RemoteFormatException($"the payload is JSON null, not a {typeof(T).Name}");
    }

    // Drops the writer's reference to the last output so a pooled buffer is not kept alive by it.
    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count) => throw new InvalidOperationException();

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException();

        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException();
    }
}
