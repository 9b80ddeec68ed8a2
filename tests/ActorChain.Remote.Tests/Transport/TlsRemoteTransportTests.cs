using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Tests.Support;
using ActorChain.Remote.Tls;
using ActorChain.Remote.Transport;
using Microsoft.Extensions.Logging;

namespace ActorChain.Remote.Tests.Transport;

/// <summary>The TLS transport against the whole contract: every node has a certificate from the cluster's CA.</summary>
public sealed class TlsRemoteTransportContractTests : RemoteTransportContract
{
    private readonly RemoteTlsOptions _rawPeerTls = TestPki.Cluster.Options("raw-peer");

    protected override RemoteTransport CreateTransport(RemoteTransportOptions options, IInboundHandler handler, ILogger logger) =>
        new(options with { Tls = TestPki.Cluster.Options(options.NodeId) }, handler, logger);

    private protected override Task<RawPeer> ConnectRawAsync(RemoteAddress address) => RawPeer.ConnectTlsAsync(address, _rawPeerTls);
}

/// <summary>What TLS adds: only peers whose certificate chains to the trusted CA get a frame through.</summary>
public sealed class TlsRemoteTransportTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("the cluster's shared secret, 32+b");
    private readonly List<RemoteTransport> _transports = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoTlsNodes_ExchangeEnvelopes_BothWays()
    {
        var a = Start("node-a", TestPki.Cluster.Options("node-a"));
        var b = Start("node-b", TestPki.Cluster.Options("node-b"));

        Assert.True(a.Transport.Send(b.Transport.LocalAddress, Envelope("/user/b")));
        Assert.True(b.Transport.Send(a.Transport.LocalAddress, Envelope("/user/a")));

        await b.Handler.WaitForCountAsync(1, "node-b receiving over TLS");
        await a.Handler.WaitForCountAsync(1, "node-a receiving over TLS");
        Assert.Equal("/user/b", Assert.Single(b.Handler.Received).Envelope.Recipient);
        Assert.Equal("node-a", Assert.Single(b.Handler.Received).From.NodeId);
        Assert.True(a.Logger.Has(2014, "CN=node-a"), "node-a did not log that it uses TLS");
        Assert.Equal(0, a.Transport.Counters.TlsRefused + b.Transport.Counters.TlsRefused);
    }

    [Fact]
    public async Task Peer_WithCertificateFromAnotherCa_IsRefused_LoggedAndGetsNoFrameThrough()
    {
        var b = Start("node-b", TestPki.Cluster.Options("node-b"));
        var stranger = Start("stranger", TestPki.Other.Options("stranger", trusted: TestPki.Cluster));

        Assert.True(stranger.Transport.Send(b.Transport.LocalAddress, Envelope("/user/b")));

        await Within.Until(() => b.Transport.Counters.TlsRefused >= 1, "node-b refusing the stranger's certificate");
        Assert.True(b.Logger.Has(2013, "from", "CN=stranger", "does not chain to actorchain.remote.tls.trusted-ca"), Logged(b.Logger));
        Assert.Equal(0, b.Transport.Counters.FramesReceived);
        Assert.Equal(0, b.Transport.Counters.ConnectionsEstablished);
        Assert.Equal(0, b.Handler.Count);
    }

    [Fact]
    public async Task Dialer_RefusesAListener_WhoseCertificateIsFromAnotherCa()
    {
        var impostor = Start("impostor", TestPki.Other.Options("impostor", trusted: TestPki.Cluster));
        var a = Start("node-a", TestPki.Cluster.Options("node-a"));

        Assert.True(a.Transport.Send(impostor.Transport.LocalAddress, Envelope("/user/x")));

        await Within.Until(() => a.Transport.Counters.TlsRefused >= 1, "node-a refusing the listener's certificate");
        Assert.True(a.Logger.Has(2013, "to", "CN=impostor"), Logged(a.Logger));
        Assert.Equal(0, a.Transport.Counters.ConnectionsEstablished);
        Assert.Equal(0, impostor.Handler.Count);
    }

    [Fact]
    public async Task PlaintextPeer_AgainstTlsListener_IsRefused_AndGetsNoFrameThrough()
    {
        var b = Start("node-b", TestPki.Cluster.Options("node-b"));
        var plain = Start("plain", tls: null);

        Assert.True(plain.Transport.Send(b.Transport.LocalAddress, Envelope("/user/b")));

        await Within.Until(() => b.Transport.Counters.TlsRefused >= 1, "node-b refusing a peer that does not speak TLS");
        Assert.Equal(0, b.Transport.Counters.FramesReceived);
        Assert.Equal(0, b.Handler.Count);
        Assert.Equal(0, plain.Transport.Counters.ConnectionsEstablished);
    }

    [Fact]
    public async Task RawPlaintextHandshake_AgainstTlsListener_IsClosedWithoutAReply()
    {
        var b = Start("node-b", TestPki.Cluster.Options("node-b"));
        await using var raw = await RawPeer.ConnectAsync(b.Transport.LocalAddress);

        await raw.SendAsync(RawPeer.Frame(FrameType.Handshake, [1, 0, 1, (byte)'c']));

        await Within.Await(raw.WaitForCloseAsync(), "node-b closing the plaintext connection");
        await Within.Until(() => b.Transport.Counters.TlsRefused == 1, "node-b counting the refusal");
        Assert.Equal(0, b.Transport.Counters.FramesReceived);
    }

    [Fact]
    public async Task Peer_WithoutClientCertificate_IsRefused_WhenClientCertificatesAreRequired()
    {
        var b = Start("node-b", TestPki.Cluster.Options("node-b"));

        // Under TLS 1.3 the client may finish its side before the server judges it, so either end may see the failure first.
        try
        {
            await using var raw = await RawPeer.ConnectTlsAsync(b.Transport.LocalAddress, TestPki.Cluster.Options("anonymous"), withoutCertificate: true);
            await raw.SendAsync(RawPeer.Frame(FrameType.Heartbeat, []));
            await Within.Await(raw.WaitForCloseAsync(), "node-b closing the connection of a peer with no certificate");
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
        }

        await Within.Until(() => b.Transport.Counters.TlsRefused >= 1, "node-b refusing a peer with no certificate");
        Assert.True(b.Logger.Has(2013, "presented no certificate"), Logged(b.Logger));
        Assert.Equal(0, b.Transport.Counters.FramesReceived);
    }

    [Fact]
    public void MissingCertificateFile_FailsAtConstruction_NamingTheFile()
    {
        var options = TestPki.Cluster.Options("node-a") with { CertificatePath = Path.Combine(TestPki.Cluster.Directory, "absent.pem") };

        var error = Assert.Throws<TlsConfigurationException>(() => new RemoteTransport(Options("node-a", options), new RecordingHandler()));

        Assert.Contains("absent.pem", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("absent.pem", error.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableKeyFile_FailsAtConstruction_NamingTheFile()
    {
        var options = TestPki.Cluster.Options("node-a");
        var garbage = Path.Combine(TestPki.Cluster.Directory, "garbage.key.pem");
        File.WriteAllText(garbage, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        var error = Assert.Throws<TlsConfigurationException>(() => new RemoteTransport(Options("node-a", options with { PrivateKeyPath = garbage }), new RecordingHandler()));

        Assert.Equal(garbage, error.FilePath);
        Assert.Contains("garbage.key.pem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustedCaFile_WithoutCertificates_FailsAtConstruction_NamingTheFile()
    {
        var empty = Path.Combine(TestPki.Cluster.Directory, "empty-ca.pem");
        File.WriteAllText(empty, "no certificates here\n");

        var error = Assert.Throws<TlsConfigurationException>(
            () => new RemoteTransport(Options("node-a", TestPki.Cluster.Options("node-a") with { TrustedCaPath = empty }), new RecordingHandler()));

        Assert.Equal(empty, error.FilePath);
    }

    [Fact]
    public async Task PfxCertificate_WithPassword_Works()
    {
        var pem = TestPki.Cluster.Options("node-p");
        using var certificate = X509Certificate2.CreateFromPemFile(pem.CertificatePath, pem.PrivateKeyPath);
        var pfx = Path.Combine(TestPki.Cluster.Directory, "node-p.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "s3cret"));
        var a = Start("node-a", TestPki.Cluster.Options("node-a"));
        var p = Start("node-p", pem with { CertificatePath = pfx, PrivateKeyPath = string.Empty, Password = "s3cret" });

        Assert.True(p.Transport.Send(a.Transport.LocalAddress, Envelope("/user/a")));

        await a.Handler.WaitForCountAsync(1, "node-a receiving from the node with a PFX certificate");
    }

    private static RemoteEnvelope Envelope(string recipient) => new(recipient, string.Empty, 1, 1, new byte[] { 1, 2, 3 });

    private static string Logged(CapturingLogger logger) => string.Join("\n", logger.Entries.Select(static e => $"[{e.Id.Id}] {e.Message}"));

    private static RemoteTransportOptions Options(string nodeId, RemoteTlsOptions? tls) => new()
    {
        NodeId = nodeId,
        ClusterId = "tls-cluster",
        SharedSecret = Secret,
        Hostname = "127.0.0.1",
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        ReconnectMinBackoff = TimeSpan.FromMilliseconds(50),
        ReconnectMaxBackoff = TimeSpan.FromMilliseconds(500),
        Tls = tls,
    };

    private Node Start(string nodeId, RemoteTlsOptions? tls) => Start(nodeId, tls, loadFails: false)!;

    private Node? Start(string nodeId, RemoteTlsOptions? tls, bool loadFails)
    {
        var handler = new RecordingHandler();
        var logger = new CapturingLogger();
        RemoteTransport transport;
        try
        {
            transport = new RemoteTransport(Options(nodeId, tls), handler, logger);
        }
        catch (TlsConfigurationException) when (loadFails)
        {
            return null;
        }

        _transports.Add(transport);
        transport.Start();
        return new Node(transport, handler, logger);
    }

    private sealed record Node(RemoteTransport Transport, RecordingHandler Handler, CapturingLogger Logger);
}
