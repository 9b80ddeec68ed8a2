using System.CommandLine;

namespace ActorChain.Cli.Commands;

/// <summary><c>tasks claim</c>: exactly-once work without a leader; the first claim in the chain wins.</summary>
internal static class TasksCommands
{
    public static Command Build(CommandContext context)
    {
        var tasks = new Command("tasks", "Task claims: the first claim of a task id in the chain wins, on every node.");
        var claim = new Command("claim", "Claim a task; prints the winner (exit 0 either way; see 'won').");
        var taskId = new Argument<string>("id") { Description = "The task id." };
        var claimant = new Option<string?>("--claimant") { Description = "Who claims (default: the node id that takes the request)." };
        claim.Arguments.Add(taskId);
        claim.Options.Add(claimant);
        context.SetAction(claim, async (inv, ct) =>
        {
            var result = await inv.Client().ClaimTaskAsync(inv.Get(taskId), inv.Parse.GetValue(claimant), ct);
            if (inv.Json)
            {
                inv.WriteJson(result);
            }
            else
            {
                var verdict = result.Won switch { true => "won", false => "lost", null => "claimed" };
                inv.Console.Out.WriteLine($"Task '{result.TaskId}': {verdict}; winner {result.Winner} at height {result.Height}.");
            }

            return CliApp.Ok;
        });
        tasks.Subcommands.Add(claim);
        return tasks;
    }
}
