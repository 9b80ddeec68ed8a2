using YamlDotNet.RepresentationModel;

namespace ActorChain.Deploy.Tests.Support;

/// <summary>Every document of deploy/k8s/*.yaml (the kustomization aside), found by kind and name.</summary>
internal sealed class KubernetesManifests
{
    private KubernetesManifests(IReadOnlyList<(string File, YamlMappingNode Document)> documents) => Documents = documents;

    public IReadOnlyList<(string File, YamlMappingNode Document)> Documents { get; }

    public YamlMappingNode StatefulSet => Single("StatefulSet");

    public YamlMappingNode Container => (YamlMappingNode)StatefulSet.Items("spec.template.spec.containers").Single();

    public YamlMappingNode ConfigMap => Single("ConfigMap");

    public YamlMappingNode PodDisruptionBudget => Single("PodDisruptionBudget");

    public YamlMappingNode Service(string name) =>
        Documents.Select(d => d.Document).Single(d => d.Text("kind") == "Service" && d.Text("metadata.name") == name);

    public YamlMappingNode Kustomization => Yaml.LoadFile(Path.Combine(Repo.Kubernetes, "kustomization.yaml")).Single();

    public static KubernetesManifests Load() =>
        new([.. Directory.GetFiles(Repo.Kubernetes, "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Yaml.LoadFile(f).Select(d => (Path.GetFileName(f), d)))]);

    /// <summary>The container's port with this name.</summary>
    public int ContainerPort(string name) =>
        int.Parse(Container.Items("ports").Single(p => p.Text("name") == name).Text("containerPort"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The container's environment as the kubelet gives it to pod <paramref name="podName"/>: fieldRef
    /// metadata.name is the pod name, secretKeyRef values come from <paramref name="secret"/>,
    /// and $(VAR) expands earlier variables.
    /// </summary>
    public Dictionary<string, string> PodEnvironment(string podName, Func<string, string, string> secret)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Container.Items("env"))
        {
            var name = item.Text("name");
            if (item.TextOrNull("value") is { } value)
            {
                env[name] = env.Aggregate(value, (text, e) => text.Replace($"$({e.Key})", e.Value, StringComparison.Ordinal));
            }
            else if (item.Get("valueFrom")?.Get("fieldRef") is { } field)
            {
                env[name] = field.Text("fieldPath") == "metadata.name" ? podName : throw new InvalidDataException($"{name}: unexpected fieldRef {field.Text("fieldPath")}.");
            }
            else if (item.Get("valueFrom")?.Get("secretKeyRef") is { } secretRef)
            {
                env[name] = secret(secretRef.Text("name"), secretRef.Text("key"));
            }
            else
            {
                throw new InvalidDataException($"{name}: no value, fieldRef or secretKeyRef.");
            }
        }

        return env;
    }

    private YamlMappingNode Single(string kind) => Documents.Select(d => d.Document).Single(d => d.Text("kind") == kind);
}
