using System.Text.Json;
using ActorChain.Deploy.Tests.Support;
using ActorChain.Node.Configuration;
using ActorChain.Persistence.Azure;

namespace ActorChain.Deploy.Tests;

public sealed class ComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    [Fact]
    public void Compose_RunsThreeNodesFromTheDockerfile_AndTheAzuriteVersionToolsPins()
    {
        var azuriteVersion = JsonDocument.Parse(Repo.Read("tools", "azurite", "package.json"))
            .RootElement.GetProperty("dependencies").GetProperty("azurite").GetString();

        Assert.Equal(["node-1", "node-2", "node-3"], Compose.NodeServices);
        Assert.All(Compose.NodeServices, s =>
        {
            Assert.Equal("..", Compose.Services[s].Text("build.context"));
            Assert.Equal("deploy/Dockerfile", Compose.Services[s].Text("build.dockerfile"));
        });
        Assert.Equal($"mcr.microsoft.com/azure-storage/azurite:{azuriteVersion}", Compose.Services["azurite"].Text("image"));
    }

    [Fact]
    public void NodeEnvironment_SetsOnlySettingsReferenceConfDefines()
    {
        var variables = Compose.NodeServices.SelectMany(s => Compose.Services[s].Entries("environment").Keys).Distinct().ToList();

        Assert.All(variables, v => Assert.True(ConfigKeys.IsSetting(v), $"{v} is not an ACTORCHAIN__ setting; the node would ignore it."));
        Assert.All(variables, v => Assert.True(ConfigKeys.ReferencePath(v) is not null, $"{v} names no setting in hocon/reference.conf."));
    }

    [Fact]
    public void EveryNode_LoadsToValidSettings_WithItsServiceNameAsIdAndHostname()
    {
        foreach (var service in Compose.NodeServices)
        {
            var settings = Load(service);

            Assert.Equal(service, settings.NodeId);
            Assert.Equal(service, settings.Hostname);
        }
    }

    [Fact]
    public void Seeds_AreTheNodesServiceNames_AndTheVotersAreTheNodes()
    {
        foreach (var service in Compose.NodeServices)
        {
            var settings = Load(service);

            Assert.Equal(Compose.NodeServices.Select(s => $"{s}:{Load(s).Port}"), settings.Seeds.Select(s => $"{s.Host}:{s.Port}"));
            Assert.Equal(Compose.NodeServices, settings.Chain.InitialVoters);
        }
    }

    [Fact]
    public void EveryNode_PublishesItsHttpPortOnItsOwnHostPort()
    {
        var published = Compose.NodeServices.Select(s => (Service: s, Ports: Compose.PublishedPorts(s))).ToList();

        Assert.All(published, p => Assert.Equal(Load(p.Service).HttpPort, Assert.Single(p.Ports).Container));
        Assert.Equal(published.Count, published.Select(p => p.Ports[0].Host).Distinct().Count());
    }

    [Fact]
    public void EveryNode_KeepsItsDataInItsOwnNamedVolume()
    {
        var declared = Compose.Root.Entries("volumes").Keys.ToHashSet();
        var mounts = Compose.NodeServices.Select(s => (Service: s, Mount: Assert.Single(Compose.Services[s].Strings("volumes")).Split(':'))).ToList();

        Assert.All(mounts, m =>
        {
            Assert.Contains(m.Mount[0], declared);
            Assert.Equal(Load(m.Service).DataDirectory, m.Mount[1]);
        });
        Assert.Equal(mounts.Count, mounts.Select(m => m.Mount[0]).Distinct().Count());
    }

    [Fact]
    public void AzurePersistence_IsOn_WithTheAzuriteServiceAsItsStorageAccount()
    {
        var azuritePorts = Compose.PublishedPorts("azurite").Select(p => p.Container).ToHashSet();
        foreach (var service in Compose.NodeServices)
        {
            var azure = AzureStorageOptions.Bind(Load(service).Configuration);

            Assert.True(azure.TableJournal);
            var endpoints = azure.ConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Where(p => p[0].EndsWith("Endpoint", StringComparison.Ordinal))
                .Select(p => new Uri(p[1])).ToList();
            Assert.Equal(3, endpoints.Count);
            Assert.All(endpoints, e =>
            {
                Assert.Equal("azurite", e.Host);
                Assert.Contains(e.Port, azuritePorts);
            });
        }
    }

    [Fact]
    public void SharedSecret_ComesFromAVariable_WithADefaultOnlyForLocalUse()
    {
        var raw = Compose.NodeServices.Select(s => Compose.Services[s].Text("environment.ACTORCHAIN__CLUSTER__SHAREDSECRET")).Distinct();

        var secret = Assert.Single(raw);
        Assert.Matches(@"^\$\{ACTORCHAIN_SHARED_SECRET:-[^}]*local[^}]*\}$", secret);
    }

    private static NodeSettings Load(string service)
    {
        var image = DockerfileTests.Runtime;
        var arguments = image.ExecForm("ENTRYPOINT").Skip(2).Concat(image.ExecForm("CMD"))
            .Select(a => a.StartsWith("/app/", StringComparison.Ordinal) ? Repo.ImagePath(a) : a);
        return ConfigKeys.Load([.. arguments], Compose.Environment(service, image.Environment()));
    }
}
