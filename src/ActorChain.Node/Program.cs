using ActorChain.Node.Configuration;

namespace ActorChain.Node;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        NodeSettings settings;
        try
        {
            var commandLine = NodeCommandLine.Parse(args);
            if (commandLine.ShowHelp)
            {
                Console.WriteLine(NodeCommandLine.Usage);
                return 0;
            }

            if (commandLine.GenerateKeyPath is { } keyPath)
            {
                Console.WriteLine(Chain.NodeSigningKeys.GenerateKey(keyPath));
                return 0;
            }

            settings = NodeSettings.Load(commandLine, AppContext.BaseDirectory);
        }
        catch (NodeConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"ActorChain.Node: {e.Message}");
            await Console.Error.WriteLineAsync("Run with --help for the options.");
            return 2;
        }

        ActorChainNode node;
        try
        {
            node = await ActorChainNode.StartAsync(settings);
        }
        catch (NodeConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"ActorChain.Node: node {settings.NodeId}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            // A taken port is the usual cause; say which ports, not a stack trace.
            await Console.Error.WriteLineAsync(
                $"ActorChain.Node: node {settings.NodeId} could not listen on {settings.Hostname}:{settings.Port} (peers) or port {settings.HttpPort} (HTTP): {e.Message}");
            return 1;
        }

        await using (node)
        {
            return await node.RunAsync();
        }
    }
}
