using ActorChain.Deploy.Tests.Support;

namespace ActorChain.Deploy.Tests;

public sealed class DeployFileTests
{
    public static TheoryData<string> YamlFiles() => [.. YamlFileList()];

    private static List<string> YamlFileList() =>
        [.. Directory.GetFiles(Repo.Deploy, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Repo.Deploy, f))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void EveryYamlFile_ParsesIntoMappings(string file)
    {
        var documents = Yaml.LoadFile(Path.Combine(Repo.Deploy, file));

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.NotEmpty(d.Children));
    }

    [Fact]
    public void DeployFolder_HasTheComposeFileAndKubernetesManifests()
    {
        var files = YamlFileList();

        Assert.Contains("docker-compose.yml", files);
        Assert.Contains(Path.Combine("k8s", "kustomization.yaml"), files);
        Assert.Contains(Path.Combine("k8s", "statefulset.yaml"), files);
    }

    [Fact]
    public void KubernetesManifests_AreNamedAndNamespaceAgnostic()
    {
        var manifests = KubernetesManifests.Load();

        Assert.All(manifests.Documents, d =>
        {
            Assert.False(string.IsNullOrEmpty(d.Document.Text("apiVersion")), $"{d.File}: no apiVersion");
            Assert.False(string.IsNullOrEmpty(d.Document.Text("kind")), $"{d.File}: no kind");
            Assert.False(string.IsNullOrEmpty(d.Document.Text("metadata.name")), $"{d.File}: no metadata.name");
            Assert.True(d.Document.Required("metadata").Get("namespace") is null, $"{d.File} pins a namespace; the manifests must work in any.");
        });
    }

    [Fact]
    public void Kustomization_ListsEveryManifest_AndPinsNoNamespace()
    {
        var manifests = KubernetesManifests.Load();
        var kustomization = manifests.Kustomization;

        Assert.Equal(
            manifests.Documents.Select(d => d.File).Distinct().Order(StringComparer.Ordinal),
            kustomization.Strings("resources").Order(StringComparer.Ordinal));
        Assert.Null(kustomization.Get("namespace"));
    }
}
