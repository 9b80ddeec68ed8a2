namespace ActorChain.Cli;

internal static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine($"actorchain: no commands yet ({args.Length} arguments given).");
        return 2;
    }
}
