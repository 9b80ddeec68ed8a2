using ActorChain.Deploy.Tests.Support;
using ActorChain.Node.Configuration;
using ActorChain.Persistence.Azure;

namespace ActorChain.Deploy.Tests;

public sealed class KubernetesTests
{
    private const string SecretValue = "value-from-the-secret-0123456789";
    private static readonly KubernetesManifests K8s = KubernetesManifests.Load();

    private static string StatefulSetName => K8s.StatefulSet.Text("metadata.name");

    private static string ServiceName => K8s.StatefulSet.Text("spec.serviceName");

    private static int Replicas => int.Parse(K8s.StatefulSet.Text("spec.replicas"), System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> PodNames => Enumerable.Range(0, Replicas).Select(i => $"{StatefulSetName}-{i}");

    [Fact]
    public void StatefulSet_GoverningServiceIsHeadless_AndPublishesPodsBeforeTheyAreReady()
    {
        var headless = K8s.Service(ServiceName);

        Assert.Equal("None", headless.Text("spec.clusterIP"));
        Assert.Equal("true", headless.Text("spec.publishNotReadyAddresses"));
        Assert.Contains(headless.Items("spec.ports"), p => p.Text("targetPort") == "remote");
        Assert.Equal("Parallel", K8s.StatefulSet.Text("spec.podManagementPolicy"));
    }

    [Fact]
    public void Seeds_AreThePodDnsNamesOfEveryReplicaThroughTheHeadlessService()
    {
        var settings = Load(PodNames.First());
        var remotePort = K8s.ContainerPort("remote");

        Assert.Equal(3, Replicas);
        Assert.Equal(PodNames.Select(p => $"{p}.{ServiceName}:{remotePort}"), settings.Seeds.Select(s => $"{s.Host}:{s.Port}"));
    }

    [Fact]
    public void EveryPod_LoadsToValidSettings_NamedAfterThePod_ReachableThroughTheHeadlessService()
    {
        foreach (var pod in PodNames)
        {
            var settings = Load(pod);

            Assert.Equal(pod, settings.NodeId);
            Assert.Equal($"{pod}.{ServiceName}", settings.Hostname);
            Assert.Equal(PodNames, settings.Chain.InitialVoters);
            Assert.Equal(SecretValue, settings.SharedSecret);
        }
    }

    [Fact]
    public void ContainerPorts_AreThePortsTheConfigMapConfigures()
    {
        var settings = Load(PodNames.First());

        Assert.Equal(settings.Port, K8s.ContainerPort("remote"));
        Assert.Equal(settings.HttpPort, K8s.ContainerPort("http"));
    }

    [Fact]
    public void Probes_AskTheHealthRoutesOnTheHttpPort()
    {
        Assert.Equal("/health/ready", K8s.Container.Text("readinessProbe.httpGet.path"));
        Assert.Equal("/health/live", K8s.Container.Text("livenessProbe.httpGet.path"));
        Assert.Equal("http", K8s.Container.Text("readinessProbe.httpGet.port"));
        Assert.Equal("http", K8s.Container.Text("livenessProbe.httpGet.port"));
    }

    [Fact]
    public void ClientService_SendsHttpToThePods()
    {
        var client = K8s.Service(StatefulSetName);

        Assert.Equal("http", Assert.Single(client.Items("spec.ports")).Text("targetPort"));
        Assert.Equal(PodLabels(), client.Entries("spec.selector").ToDictionary(e => e.Key, e => e.Value.ToString()));
    }

    [Fact]
    public void ConfigAndData_AreMountedWhereTheNodeLooks()
    {
        var settings = Load(PodNames.First());
        var mounts = K8s.Container.Items("volumeMounts").ToDictionary(m => m.Text("name"), m => m.Text("mountPath"));
        var volumes = K8s.StatefulSet.Items("spec.template.spec.volumes");
        var configFile = NodeCommandLine.Parse(K8s.Container.Strings("args")).ConfigFile!;
        var configVolume = volumes.Single(v => v.Get("configMap") is not null);

        Assert.Equal(K8s.ConfigMap.Text("metadata.name"), configVolume.Text("configMap.name"));
        Assert.Equal(mounts[configVolume.Text("name")], Path.GetDirectoryName(configFile));
        Assert.Contains(Path.GetFileName(configFile), K8s.ConfigMap.Entries("data").Keys);
        var claim = Assert.Single(K8s.StatefulSet.Items("spec.volumeClaimTemplates"));
        Assert.Equal(settings.DataDirectory, mounts[claim.Text("metadata.name")]);
    }

    [Fact]
    public void PodDisruptionBudget_KeepsAMajorityOfTheVoters()
    {
        var pdb = K8s.PodDisruptionBudget;
        var maxUnavailable = int.Parse(pdb.Text("spec.maxUnavailable"), System.Globalization.CultureInfo.InvariantCulture);
        var voters = Load(PodNames.First()).Chain.InitialVoters.Count;

        Assert.True(maxUnavailable >= 1, "a budget of 0 blocks every drain");
        Assert.True(voters - maxUnavailable > voters / 2, $"with {maxUnavailable} of {voters} voters down no majority is left");
        Assert.Equal(PodLabels(), pdb.Entries("spec.selector.matchLabels").ToDictionary(e => e.Key, e => e.Value.ToString()));
    }

    [Fact]
    public void PreStop_LeavesTheClusterThroughTheCli_WithinTheGracePeriod()
    {
        var settings = Load(PodNames.First());
        var grace = int.Parse(K8s.StatefulSet.Text("spec.template.spec.terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(["actorchain", "cluster", "leave", "--node", $"http://127.0.0.1:{settings.HttpPort}"], K8s.Container.Strings("lifecycle.preStop.exec.command"));
        Assert.True(grace > settings.LeaveTimeout.TotalSeconds * 2, $"terminationGracePeriodSeconds {grace} leaves no room for the preStop leave and then the node's own leave ({settings.LeaveTimeout} each)");
    }

    [Fact]
    public void PreStop_AuthenticatesWithAnApiKeyTheNodeAccepts()
    {
        static string? SecretKey(string variable) =>
            K8s.Container.Items("env").Single(e => e.Text("name") == variable).Get("valueFrom")?.Get("secretKeyRef")?.TextOrNull("key");

        Assert.NotNull(SecretKey("ACTORCHAIN__GATEWAY__APIKEYS__0"));
        Assert.Equal(SecretKey("ACTORCHAIN__GATEWAY__APIKEYS__0"), SecretKey("ACTORCHAIN_API_KEY"));
    }

    [Fact]
    public void Environment_SetsOnlySettingsReferenceConfDefines()
    {
        var variables = K8s.Container.Items("env").Select(e => e.Text("name")).Where(ConfigKeys.IsSetting).ToList();

        Assert.NotEmpty(variables);
        Assert.All(variables, v => Assert.True(ConfigKeys.ReferencePath(v) is not null, $"{v} names no setting in hocon/reference.conf."));
    }

    [Fact]
    public void Secrets_ComeFromTheGeneratedSecret_WhoseFileIsNeverCommitted()
    {
        var generator = Assert.Single(K8s.Kustomization.Items("secretGenerator"));
        var envFile = Assert.Single(generator.Strings("envs"));
        var keys = File.ReadAllLines(Path.Combine(Repo.Kubernetes, envFile + ".example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=')[0]).ToHashSet();
        var references = K8s.Container.Items("env").Select(e => e.Get("valueFrom")?.Get("secretKeyRef")).OfType<YamlDotNet.RepresentationModel.YamlNode>().ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r =>
        {
            Assert.Equal(generator.Text("name"), r.Text("name"));
            Assert.Contains(r.Text("key"), keys);
        });
        Assert.Contains(envFile, File.ReadAllLines(Path.Combine(Repo.Kubernetes, ".gitignore")));
        Assert.False(IsTracked(envFile), $"{envFile} must not be committed");
    }

    [Fact]
    public void AzureSettings_BindToValidOptions()
    {
        var azure = AzureStorageOptions.Bind(Load(PodNames.First()).Configuration);

        Assert.Equal(SecretValue, azure.ConnectionString);
        Assert.Equal("actorchain", azure.Container);
    }

    private static Dictionary<string, string> PodLabels() =>
        K8s.StatefulSet.Entries("spec.template.metadata.labels").ToDictionary(e => e.Key, e => e.Value.ToString());

    // The ConfigMap's HOCON as the pod sees it: /app/hocon/reference.conf is the image's copy of
    // the node's build output, which this test build has beside it.
    private static NodeSettings Load(string pod)
    {
        var arguments = K8s.Container.Strings("args").ToList();
        var configFile = NodeCommandLine.Parse(arguments).ConfigFile!;
        var hocon = ((YamlDotNet.RepresentationModel.YamlScalarNode)K8s.ConfigMap.Entries("data")[Path.GetFileName(configFile)]).Value!
            .Replace("\"/app/", $"\"{AppContext.BaseDirectory}", StringComparison.Ordinal);
        var directory = Directory.CreateTempSubdirectory("actorchain-k8s-config-");
        try
        {
            var local = Path.Combine(directory.FullName, Path.GetFileName(configFile));
            File.WriteAllText(local, hocon);
            arguments[arguments.IndexOf(configFile)] = local;
            var environment = DockerfileTests.Runtime.Environment().Concat(K8s.PodEnvironment(pod, (_, _) => SecretValue));
            return ConfigKeys.Load(arguments, environment);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static bool IsTracked(string file)
    {
        using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", Repo.Kubernetes, "ls-files", "--error-unmatch", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        git.WaitForExit();
        return git.ExitCode == 0;
    }
}
