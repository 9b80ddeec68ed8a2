namespace ActorChain.Gateway;

/// <summary>Marks the gateway assembly (the HTTP application of DESIGN §8: files, metadata, search, tasks).</summary>
internal static class GatewayAssembly;
