using ActorChain.Actors;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Serialization;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Remote.Tests.Actors;

public sealed class RemotingProtocolTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private readonly SerializerRegistry _registry = CreateRegistry();

    [Fact]
    public void StatusFailure_RoundTrips_AsTypeNameAndMessage() =>
        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), text =>
        {
            var envelope = _registry.ToEnvelope("actorchain://c@h:1/temp/$1", string.Empty, new Status.Failure(new ArgumentException(text.Get)));
            var cause = (RemoteFailureException)((Status.Failure)_registry.FromEnvelope(envelope)).Cause;
            return cause.RemoteType == typeof(ArgumentException).FullName && cause.RemoteMessage == new ArgumentException(text.Get).Message;
        }));

    [Fact]
    public void StatusFailure_OnRandomBytes_DecodesOrThrowsRemoteFormatException() =>
        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var envelope = new RemoteEnvelope("actorchain://c@h:1/user/a", string.Empty, SerializerIds.Binary, RemotingProtocol.StatusFailureTypeId, bytes);
            try
            {
                return _registry.FromEnvelope(envelope) is Status.Failure { Cause: RemoteFailureException };
            }
            catch (RemoteFormatException)
            {
                return true;
            }
        }));

    [Fact]
    public void DeathWatchNotification_OtherThanOneByteZeroOrOne_IsRejected()
    {
        foreach (var payload in new byte[][] { [], [2], [1, 0] })
        {
            var envelope = new RemoteEnvelope("actorchain://c@h:1/user/a", "actorchain://c@h:2/user/b", SerializerIds.Binary, RemotingProtocol.DeathWatchNotificationTypeId, payload);
            Assert.Throws<RemoteFormatException>(() => _registry.FromEnvelope(envelope));
        }
    }

    [Fact]
    public void RemotingTypeIds_AreTakenInAFreshRegistry_SoApplicationIdsCannotCollide()
    {
        Assert.Throws<InvalidOperationException>(() => _registry.RegisterJson(RemotingProtocol.WatchTypeId, RemoteActorTestJsonContext.Default.Ping));
    }

    private static SerializerRegistry CreateRegistry()
    {
        var registry = new SerializerRegistry();
        RemotingProtocol.RegisterOn(registry);
        return registry;
    }
}
