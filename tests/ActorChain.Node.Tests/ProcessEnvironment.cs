namespace ActorChain.Node.Tests;

/// <summary>Tests that set or read the process's environment variables (the node's configuration source) run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessEnvironment
{
    public const string Name = "process environment";
}
