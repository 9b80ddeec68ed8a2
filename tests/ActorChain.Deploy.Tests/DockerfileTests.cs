using ActorChain.Deploy.Tests.Support;
using ActorChain.Node.Configuration;

namespace ActorChain.Deploy.Tests;

public sealed class DockerfileTests
{
    private const string TestSecret = "a-secret-of-at-least-16-bytes";
    private static readonly Dockerfile Image = Dockerfile.Load(Path.Combine(Repo.Deploy, "Dockerfile"));

    [Fact]
    public void Image_IsBuiltOnTheSdk_AndRunsOnTheAspNetRuntime()
    {
        Assert.True(Image.Stages.Count >= 2, "the Dockerfile is not multi-stage");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", Image.Stages[0].Image);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", Image.Runtime.Image);
    }

    [Fact]
    public void Image_RunsAsANonRootUser()
    {
        var user = Image.Runtime.All("USER").LastOrDefault();

        Assert.NotNull(user);
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
    }

    [Fact]
    public void Entrypoint_RunsTheNodeAssembly_WithSwitchesTheNodeAccepts()
    {
        var entrypoint = Image.Runtime.ExecForm("ENTRYPOINT");
        var nodeDll = typeof(NodeSettings).Assembly.GetName().Name + ".dll";

        Assert.Equal(["dotnet", "/app/" + nodeDll], entrypoint.Take(2));
        var commandLine = NodeCommandLine.Parse([.. entrypoint.Skip(2), .. Image.Runtime.ExecForm("CMD")]);
        Assert.NotNull(commandLine.ConfigFile);
        Assert.True(File.Exists(Repo.ImagePath(commandLine.ConfigFile)), $"{commandLine.ConfigFile} is not in the node's build output, so not in the image.");
    }

    [Fact]
    public void App_IsTheNodesPublishOutput_AndTheCliIsOnThePath()
    {
        var build = Image.Stages[0];
        var run = string.Join('\n', build.All("RUN"));

        Assert.Contains("dotnet publish src/ActorChain.Node/ActorChain.Node.csproj -c Release -o /out/node", run, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/ActorChain.Cli/ActorChain.Cli.csproj -c Release -o /out/cli", run, StringComparison.Ordinal);
        Assert.Contains($"--from={build.Name} /out/node/ /app/", Image.Runtime.All("COPY"));
        Assert.Contains($"--from={build.Name} /out/cli/ /app/cli/", Image.Runtime.All("COPY"));

        // The preStop hook calls `actorchain`: the CLI's assembly must be the one the wrapper runs.
        Assert.Contains("<AssemblyName>actorchain</AssemblyName>", Repo.Read("src", "ActorChain.Cli", "ActorChain.Cli.csproj"), StringComparison.Ordinal);
        Assert.Contains("exec dotnet /app/cli/actorchain.dll", string.Join('\n', Image.Runtime.All("RUN")), StringComparison.Ordinal);
        Assert.Contains("/usr/local/bin/actorchain", string.Join('\n', Image.Runtime.All("RUN")), StringComparison.Ordinal);
    }

    [Fact]
    public void ExposedPorts_AreThePortsTheImagesConfigurationListensOn()
    {
        var settings = LoadImageSettings();
        var exposed = Image.Runtime.All("EXPOSE").SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new[] { settings.Port, settings.HttpPort }.Order(), exposed.Order());
    }

    [Fact]
    public void DataDirectory_IsAVolume()
    {
        var settings = LoadImageSettings();

        Assert.Contains(settings.DataDirectory, Image.Runtime.All("VOLUME"));
    }

    [Fact]
    public void Healthcheck_ProbesTheLiveRouteOnTheHttpPort_WithCurlThatTheImageInstalls()
    {
        var settings = LoadImageSettings();
        var healthcheck = Image.Runtime.All("HEALTHCHECK").Single();

        Assert.Contains($"CMD curl -fsS -o /dev/null \"http://127.0.0.1:${{ACTORCHAIN__NODE__HTTPPORT:-{settings.HttpPort}}}/health/live\"", healthcheck, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y --no-install-recommends curl", string.Join('\n', Image.Runtime.All("RUN")), StringComparison.Ordinal);
    }

    /// <summary>What the node makes of the image's ENTRYPOINT, CMD and ENV, with the one thing a deployment must add: the secret.</summary>
    internal static NodeSettings LoadImageSettings() =>
        ConfigKeys.Load(
            [.. Image.Runtime.ExecForm("ENTRYPOINT").Skip(2).Concat(Image.Runtime.ExecForm("CMD")).Select(a => a.StartsWith("/app/", StringComparison.Ordinal) ? Repo.ImagePath(a) : a)],
            Image.Runtime.Environment().Append(new("ACTORCHAIN__CLUSTER__SHAREDSECRET", TestSecret)));

    internal static Dockerfile.Stage Runtime => Image.Runtime;
}
