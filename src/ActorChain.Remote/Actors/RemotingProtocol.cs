using System.Buffers.Binary;
using System.Text;
using ActorChain.Actors;
using ActorChain.Remote.Serialization;

namespace ActorChain.Remote.Actors;

/// <summary>
/// Remoting's own messages. They carry no paths: the envelope's recipient is the watchee (watch,
/// unwatch) or the watcher (notification) and its sender is the other party, as in Akka's
/// DaemonMsgWatch. Their type ids are negative, which the registry leaves to remoting.
/// </summary>
internal static class RemotingProtocol
{
    public const int WatchTypeId = -2100;
    public const int UnwatchTypeId = -2101;
    public const int DeathWatchNotificationTypeId = -2102;
    public const int StatusFailureTypeId = -2103;

    /// <summary>The sender (a watcher on another node) watches the recipient.</summary>
    public sealed class RemoteWatch
    {
        public static readonly RemoteWatch Instance = new();

        private RemoteWatch()
        {
        }
    }

    public sealed class RemoteUnwatch
    {
        public static readonly RemoteUnwatch Instance = new();

        private RemoteUnwatch()
        {
        }
    }

    /// <summary>The sender (a watchee) has stopped, or never existed when <see cref="ExistenceConfirmed"/> is false.</summary>
    public sealed record RemoteDeathWatchNotification(bool ExistenceConfirmed);

    public static void RegisterOn(SerializerRegistry registry)
    {
        registry.Register(WatchTypeId, new EmptySerializer<RemoteWatch>(RemoteWatch.Instance));
        registry.Register(UnwatchTypeId, new EmptySerializer<RemoteUnwatch>(RemoteUnwatch.Instance));
        registry.Register(DeathWatchNotificationTypeId, new NotificationSerializer());
        registry.Register(StatusFailureTypeId, new StatusFailureSerializer());
    }

    private sealed class EmptySerializer<T>(T instance) : BinaryMessageSerializer<T>
    {
        public override int GetSize(T message) => 0;

        public override void Write(T message, Span<byte> destination)
        {
        }

        public override T Read(ReadOnlySpan<byte> payload) =>
            payload.IsEmpty ? instance : throw new RemoteFormatException($"a {typeof(T).Name} has no payload, not {payload.Length} bytes");
    }

    private sealed class NotificationSerializer : BinaryMessageSerializer<RemoteDeathWatchNotification>
    {
        private static readonly RemoteDeathWatchNotification Confirmed = new(true);
        private static readonly RemoteDeathWatchNotification Unconfirmed = new(false);

        public override int GetSize(RemoteDeathWatchNotification message) => 1;

        public override void Write(RemoteDeathWatchNotification message, Span<byte> destination) =>
            destination[0] = message.ExistenceConfirmed ? (byte)1 : (byte)0;

        public override RemoteDeathWatchNotification Read(ReadOnlySpan<byte> payload) => payload switch
        {
            [1] => Confirmed,
            [0] => Unconfirmed,
            _ => throw new RemoteFormatException("a death-watch notification is one byte, 0 or 1"),
        };
    }

    /// <summary>
    /// A failure reply crosses the wire as the exception's type name and message only: exceptions are
    /// not serializable in general, and the asker needs the reason, not the object.
    /// </summary>
    private sealed class StatusFailureSerializer : BinaryMessageSerializer<Status.Failure>
    {
        private const int MaxTextBytes = 16 * 1024;

        public override int GetSize(Status.Failure message)
        {
            var (type, text) = Parts(message);
            return 8 + Encoding.UTF8.GetByteCount(type) + Encoding.UTF8.GetByteCount(text);
        }

        public override void Write(Status.Failure message, Span<byte> destination)
        {
            var (type, text) = Parts(message);
            var position = WriteText(destination, type);
            WriteText(destination[position..], text);
        }

        public override Status.Failure Read(ReadOnlySpan<byte> payload)
        {
            var position = 0;
            var type = ReadText(payload, ref position);
            var text = ReadText(payload, ref position);
            if (position != payload.Length)
            {
                throw new RemoteFormatException($"{payload.Length - position} byte(s) follow a failure reply");
            }

            return new Status.Failure(new RemoteFailureException(type, text));
        }

        private static (string Type, string Text) Parts(Status.Failure message)
        {
            var (type, text) = message.Cause is RemoteFailureException remote
                ? (remote.RemoteType, remote.RemoteMessage)
                : (message.Cause.GetType().FullName ?? message.Cause.GetType().Name, message.Cause.Message);
            return (Truncate(type), Truncate(text));
        }

        private static string Truncate(string text) =>
            Encoding.UTF8.GetByteCount(text) <= MaxTextBytes ? text : text[..(MaxTextBytes / 4)];

        private static int WriteText(Span<byte> destination, string text)
        {
            var length = Encoding.UTF8.GetBytes(text, destination[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(destination, length);
            return 4 + length;
        }

        private static string ReadText(ReadOnlySpan<byte> payload, ref int position)
        {
            if (payload.Length - position < 4)
            {
                throw new RemoteFormatException("a failure reply ends inside a text length");
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(payload[position..]);
            position += 4;
            if (length < 0 || length > MaxTextBytes || length > payload.Length - position)
            {
                throw new RemoteFormatException($"a failure reply announces a text of {length} bytes");
            }

            var text = Encoding.UTF8.GetString(payload.Slice(position, length));
            position += length;
            return text;
        }
    }
}

/// <summary>The cause of a <see cref="Status.Failure"/> that came from another node: its type name and message.</summary>
public sealed class RemoteFailureException(string remoteType, string remoteMessage)
    : Exception($"{remoteType}: {remoteMessage}")
{
    /// <summary>Full name of the exception type thrown on the remote node.</summary>
    public string RemoteType { get; } = remoteType;

    public string RemoteMessage { get; } = remoteMessage;
}
