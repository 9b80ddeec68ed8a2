using System.Text;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Serialization;

namespace ActorChain.Cluster.Tests;

internal static class RemotingTestMessages
{
    public static void Register(Remoting remoting) => remoting.Serializers.Register(1, new TextSerializer());

    public sealed record Text(string Value);

    private sealed class TextSerializer : BinaryMessageSerializer<Text>
    {
        public override int GetSize(Text message) => Encoding.UTF8.GetByteCount(message.Value);

        public override void Write(Text message, Span<byte> destination) => Encoding.UTF8.GetBytes(message.Value, destination);

        public override Text Read(ReadOnlySpan<byte> payload) => new(Encoding.UTF8.GetString(payload));
    }
}
