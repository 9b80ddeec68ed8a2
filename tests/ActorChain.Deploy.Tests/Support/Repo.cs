namespace ActorChain.Deploy.Tests.Support;

/// <summary>Paths of the checked-out repository the tests run from, and of the node build they test against.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Kubernetes => Path.Combine(Deploy, "k8s");

    public static string ReferenceConf => Path.Combine(Root, "hocon", "reference.conf");

    /// <summary>The node's build output as this test build has it: the Release or Debug beside us.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>
    /// Where /app/ of the image points in this build: the Dockerfile copies the node's publish output
    /// there, and the node's hocon/*.conf come with it, as they come into this test's output.
    /// </summary>
    public static string ImagePath(string path) =>
        path.StartsWith("/app/", StringComparison.Ordinal)
            ? Path.Combine(AppContext.BaseDirectory, path["/app/".Length..])
            : throw new ArgumentException($"'{path}' is not under the image's /app/.", nameof(path));

    public static string Read(params string[] parts) => File.ReadAllText(Path.Combine([Root, .. parts]));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorChain.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("ActorChain.sln was not found above the test directory.");
    }
}
