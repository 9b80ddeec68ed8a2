using ActorChain.Remote;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Remote;

[MemoryDiagnoser]
public class RemoteEnvelopeBenchmarks
{
    private readonly RemoteEnvelope _envelope = new("/user/chain", "/user/proposer-3", 1, 17, new byte[64]);
    private byte[] _buffer = [];
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _buffer = new byte[_envelope.Size];
        _encoded = new byte[_envelope.Size];
        _envelope.Write(_encoded);
    }

    [Benchmark]
    public int Encode() => _envelope.Write(_buffer);

    [Benchmark]
    public RemoteEnvelope Decode() => RemoteEnvelope.Read(_encoded);
}
