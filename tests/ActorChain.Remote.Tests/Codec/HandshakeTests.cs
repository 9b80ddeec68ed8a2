using System.Security.Cryptography;
using System.Text;
using ActorChain.Remote.Handshake;

namespace ActorChain.Remote.Tests.Codec;

public sealed class HandshakeTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a shared secret of enough bytes");

    [Fact]
    public void Hello_RoundTrips_EveryField()
    {
        var hello = Hello("node-a");
        var bytes = new byte[hello.Size];

        Assert.Equal(bytes.Length, hello.Write(bytes));
        var read = HandshakeHello.Read(bytes);

        Assert.Equal(hello.Version, read.Version);
        Assert.Equal(hello.ClusterId, read.ClusterId);
        Assert.Equal(hello.NodeId, read.NodeId);
        Assert.Equal(hello.ListenAddress, read.ListenAddress);
        Assert.Equal(hello.Incarnation, read.Incarnation);
        Assert.Equal(hello.Nonce.ToArray(), read.Nonce.ToArray());
    }

    [Fact]
    public void Hello_TruncatedAnywhere_IsRefused()
    {
        var hello = Hello("node-a");
        var bytes = new byte[hello.Size];
        hello.Write(bytes);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<RemoteFormatException>(() => HandshakeHello.Read(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Proof_FromTheSecret_Verifies()
    {
        var (a, b) = (Hello("node-a"), Hello("node-b"));

        var proof = HandshakeProof.Compute(Secret, "c1", prover: a, verifier: b);

        Assert.True(HandshakeProof.Verify(Secret, "c1", prover: a, verifier: b, proof));
    }

    [Fact]
    public void Proof_FromAnotherSecret_DoesNotVerify()
    {
        var (a, b) = (Hello("node-a"), Hello("node-b"));

        var proof = HandshakeProof.Compute(Encoding.UTF8.GetBytes("another secret, equally long!!"), "c1", a, b);

        Assert.False(HandshakeProof.Verify(Secret, "c1", a, b, proof));
    }

    [Fact]
    public void Proof_ReplayedAgainstAFreshNonce_DoesNotVerify()
    {
        var a = Hello("node-a");
        var recorded = HandshakeProof.Compute(Secret, "c1", a, Hello("node-b"));

        var nextConnection = Hello("node-b");

        Assert.False(HandshakeProof.Verify(Secret, "c1", a, nextConnection, recorded));
    }

    [Fact]
    public void Proof_ReflectedBackAtItsProver_DoesNotVerify()
    {
        var (a, b) = (Hello("node-a"), Hello("node-b"));

        var bsProof = HandshakeProof.Compute(Secret, "c1", prover: b, verifier: a);

        Assert.False(HandshakeProof.Verify(Secret, "c1", prover: a, verifier: b, bsProof));
    }

    [Fact]
    public void Proof_ForAnotherCluster_DoesNotVerify()
    {
        var (a, b) = (Hello("node-a"), Hello("node-b"));

        var proof = HandshakeProof.Compute(Secret, "c2", a, b);

        Assert.False(HandshakeProof.Verify(Secret, "c1", a, b, proof));
    }

    [Fact]
    public void Proof_OfTheWrongLength_DoesNotVerify()
    {
        var (a, b) = (Hello("node-a"), Hello("node-b"));
        var proof = HandshakeProof.Compute(Secret, "c1", a, b);

        Assert.False(HandshakeProof.Verify(Secret, "c1", a, b, proof.AsSpan(0, 31)));
    }

    private static HandshakeHello Hello(string nodeId) =>
        new(HandshakeHello.CurrentVersion, "c1", nodeId, new RemoteAddress("127.0.0.1", 4053), 7, RandomNumberGenerator.GetBytes(HandshakeHello.NonceSize));
}
