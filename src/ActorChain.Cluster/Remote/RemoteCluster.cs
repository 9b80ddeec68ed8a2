using ActorChain.Actors;
using ActorChain.Remote.Actors;
using Microsoft.Extensions.Logging;

namespace ActorChain.Cluster;

/// <summary>Starts a <see cref="Cluster"/> on a <see cref="Remoting"/>'s connections and ties remote death watch to membership.</summary>
public static class RemoteCluster
{
    /// <summary>
    /// Starts the cluster over a <see cref="RemoteClusterTransport"/> of <paramref name="remoting"/>.
    /// When a member other than this node is Downed or Removed, <see cref="Remoting.AddressTerminated"/>
    /// runs for it, so local watchers of its actors get Terminated even though its node never said goodbye.
    /// </summary>
    public static Cluster Start(Remoting remoting, ClusterSettings settings, out RemoteClusterTransport transport)
    {
        ArgumentNullException.ThrowIfNull(remoting);
        transport = new RemoteClusterTransport(remoting);
        var cluster = Cluster.Start(remoting.System, transport, settings);
        var watcher = remoting.System.SystemActorOf(Props.Create(() => new AddressTerminator(remoting, cluster.SelfAddress)), "cluster-address-terminator");
        cluster.Subscribe(watcher, typeof(ClusterEvent.MemberDowned), typeof(ClusterEvent.MemberRemoved));
        return cluster;
    }

    private sealed class AddressTerminator : ReceiveActor
    {
        private readonly HashSet<UniqueAddress> _terminated = [];

        public AddressTerminator(Remoting remoting, Address self)
        {
            var log = remoting.System.LoggerFactory.CreateLogger<RemoteClusterTransport>();
            void Terminate(Member member)
            {
                if (member.Address != self && member.Address.HasGlobalScope && _terminated.Add(member.UniqueAddress))
                {
                    ClusterTransportLog.AddressTerminated(log, member.Address, member.Status);
                    remoting.AddressTerminated(RemoteClusterTransport.ToRemoteAddress(member.Address));
                }
            }

            Receive<ClusterEvent.MemberDowned>(e => Terminate(e.Member));
            Receive<ClusterEvent.MemberRemoved>(e => Terminate(e.Member));
            Receive<ClusterEvent.CurrentClusterState>(state =>
            {
                foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Down))
                {
                    Terminate(member);
                }
            });
        }
    }
}
