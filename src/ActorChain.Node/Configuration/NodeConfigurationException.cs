namespace ActorChain.Node.Configuration;

/// <summary>A configuration or command-line error a user can fix; the message says how.</summary>
internal sealed class NodeConfigurationException(string message) : Exception(message);
