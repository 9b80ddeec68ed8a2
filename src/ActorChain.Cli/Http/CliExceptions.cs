namespace ActorChain.Cli.Http;

/// <summary>The node did not answer at all: nothing listening, DNS failed, or no answer in time.</summary>
internal sealed class NodeUnreachableException(Uri node, string reason, Exception? inner = null)
    : Exception($"cannot reach the node at {node}: {reason}", inner)
{
    public Uri Node { get; } = node;
}

/// <summary>The node answered with an error status; <see cref="Exception.Message"/> carries its problem body.</summary>
internal sealed class NodeApiException(Uri node, string request, int status, Problem? problem)
    : Exception($"{request} on {node} failed with {status}{Describe(problem)}")
{
    public int Status { get; } = status;

    public Problem? Problem { get; } = problem;

    private static string Describe(Problem? problem) =>
        problem is null ? "." : $" {problem.Title}: {problem.Detail}".TrimEnd(':', ' ') + (problem.Detail is null ? "." : string.Empty);
}

/// <summary>The command line parsed but asks for something impossible (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
