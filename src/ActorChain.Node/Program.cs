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

            settings = NodeSettings.Load(commandLine, AppContext.BaseDirectory);
        }
        catch (NodeConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"ActorChain.Node: {e.Message}");
            await Console.Error.WriteLineAsync("Run with --help for the options.");
            return 2;
        }

        await using var node = await ActorChainNode.StartAsync(settings);
        return await node.RunAsync();
    }
}
