using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Handshake;

namespace ActorChain.Remote.Transport;

public sealed partial class RemoteTransport
{
    /// <summary>Handshake frames are tiny; an unauthenticated peer gets no bigger buffer than this.</summary>
    private const int HandshakeMaxFrameSize = 1024;

    internal async Task<Connection?> DialAsync(RemoteAddress address)
    {
        // An IP literal gets a socket of its own family, so endpoints read "127.0.0.1:port" and not
        // the IPv4-mapped form a dual-mode socket reports.
        var socket = IPAddress.TryParse(address.Host, out var ip)
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(Options.HandshakeTimeout);
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = await SecureAsync(socket, dialedByUs: true, address.Host).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        var connection = Track(socket, stream, dialedByUs: true);
        var remote = await HandshakeAsync(connection).ConfigureAwait(false);
        if (remote is not { } hello)
        {
            return null;
        }

        // Keyed by the address we dialed, which is how the caller names this peer.
        connection.Peer = new PeerId(hello.NodeId, address);
        connection.RemoteIncarnation = hello.Incarnation;
        return connection;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException || _disposed != 0)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A peer resetting during accept must not stop the listener.
                Log.AcceptFailed(Logger, ex);
                continue;
            }

            _ = AcceptPeerAsync(socket);
        }
    }

    private async Task AcceptPeerAsync(Socket socket)
    {
        Connection connection;
        try
        {
            var stream = await SecureAsync(socket, dialedByUs: false, string.Empty).ConfigureAwait(false);
            if (stream is null)
            {
                return;
            }

            connection = Track(socket, stream, dialedByUs: false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The peer reset the connection before we got to it.
            socket.Dispose();
            return;
        }

        var remote = await HandshakeAsync(connection).ConfigureAwait(false);
        if (remote is not { } hello)
        {
            return;
        }

        connection.Peer = new PeerId(hello.NodeId, hello.ListenAddress);
        connection.RemoteIncarnation = hello.Incarnation;
        if (_disposed != 0)
        {
            connection.Abort("the transport is stopping");
            return;
        }

        GetPeer(hello.ListenAddress).Attach(connection);
    }

    /// <summary>
    /// Both sides send Hello, check the other's, send their proof over the other's nonce, and check the
    /// other's proof. Anything the peer sends before that succeeds stays unread in the input pipe, so a
    /// refused peer delivers nothing.
    /// </summary>
    private async Task<HandshakeHello?> HandshakeAsync(Connection connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(Options.HandshakeTimeout);
        var local = new HandshakeHello(
            HandshakeHello.CurrentVersion, Options.ClusterId, NodeId, LocalAddress, _incarnation, RandomNumberGenerator.GetBytes(HandshakeHello.NonceSize));
        try
        {
            var hello = new byte[local.Size];
            local.Write(hello);
            if (!await connection.WriteFrameAsync(FrameType.Handshake, hello).ConfigureAwait(false))
            {
                return await RefuseAsync(connection, HandshakeRefusal.ConnectionClosed, "the connection closed while sending our handshake");
            }

            var (type, payload) = await connection.ReadFrameAsync(HandshakeMaxFrameSize, timeout.Token).ConfigureAwait(false);
            Counters.FrameReceived();
            if (type != FrameType.Handshake)
            {
                return await RefuseAsync(connection, HandshakeRefusal.Malformed, $"the first frame is {type}, not Handshake");
            }

            var version = HandshakeHello.ReadVersion(payload);
            if (version != HandshakeHello.CurrentVersion)
            {
                return await RefuseAsync(connection, HandshakeRefusal.UnsupportedVersion, $"protocol version {version}; this node speaks {HandshakeHello.CurrentVersion}");
            }

            var remote = HandshakeHello.Read(payload);
            if (!string.Equals(remote.ClusterId, Options.ClusterId, StringComparison.Ordinal))
            {
                return await RefuseAsync(connection, HandshakeRefusal.ClusterMismatch, $"node {remote.NodeId} is in cluster '{remote.ClusterId}', not '{Options.ClusterId}'");
            }

            if (string.Equals(remote.NodeId, NodeId, StringComparison.Ordinal))
            {
                return await RefuseAsync(connection, HandshakeRefusal.SameNodeId, $"the peer claims this node's id '{NodeId}'");
            }

            var proof = HandshakeProof.Compute(Options.SharedSecret, Options.ClusterId, prover: local, verifier: remote);
            if (!await connection.WriteFrameAsync(FrameType.HandshakeAck, proof).ConfigureAwait(false))
            {
                return await RefuseAsync(connection, HandshakeRefusal.ConnectionClosed, "the connection closed while sending our proof");
            }

            (type, payload) = await connection.ReadFrameAsync(HandshakeMaxFrameSize, timeout.Token).ConfigureAwait(false);
            Counters.FrameReceived();
            if (type != FrameType.HandshakeAck)
            {
                return await RefuseAsync(connection, HandshakeRefusal.Malformed, $"the second frame is {type}, not HandshakeAck");
            }

            if (!HandshakeProof.Verify(Options.SharedSecret, Options.ClusterId, prover: remote, verifier: local, payload))
            {
                return await RefuseAsync(connection, HandshakeRefusal.BadProof, $"node {remote.NodeId} does not prove the cluster's shared secret");
            }

            Counters.Established();
            return remote;
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return await RefuseAsync(connection, HandshakeRefusal.Timeout, $"no complete handshake within {Options.HandshakeTimeout}");
        }
        catch (RemoteFormatException ex)
        {
            CountFrameError(ex);
            return await RefuseAsync(connection, HandshakeRefusal.Malformed, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            return await RefuseAsync(connection, HandshakeRefusal.ConnectionClosed, ex.Message);
        }
    }

    private async Task<HandshakeHello?> RefuseAsync(Connection connection, HandshakeRefusal refusal, string detail)
    {
        if (!_stopping.IsCancellationRequested)
        {
            // Logged before it is counted: whoever sees the count (a test, /metrics) finds the reason already logged.
            Log.HandshakeRefused(Logger, connection.RemoteEndPoint, refusal, detail);
            Counters.Refused(refusal);
        }

        // Let our Hello reach the peer before closing, so it can log why on its side too.
        await connection.CloseGracefullyAsync(TimeSpan.FromSeconds(1), $"handshake refused: {refusal}").ConfigureAwait(false);
        return null;
    }

    private void CountFrameError(RemoteFormatException ex)
    {
        if (ex.FrameError == FrameError.Oversized)
        {
            Counters.Oversized();
        }
        else
        {
            Counters.Malformed();
        }
    }
}
