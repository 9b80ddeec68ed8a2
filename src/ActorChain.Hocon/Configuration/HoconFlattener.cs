namespace ActorChain.Hocon.Configuration;

/// <summary>
/// Turns a resolved HOCON tree into IConfiguration keys: ':' between path elements, array
/// elements by index, dashes dropped from every key element (see <see cref="Microsoft.Extensions.Configuration.HoconConfigurationExtensions"/>).
/// </summary>
internal static class HoconFlattener
{
    public static Dictionary<string, string?> Flatten(HoconObject root)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in root.Fields)
        {
            Add(data, NormalizeKey(key), value);
        }

        return data;
    }

    /// <summary>Environment variable names cannot hold dashes, and .NET options are PascalCase.</summary>
    public static string NormalizeKey(string key) => key.Replace("-", string.Empty, StringComparison.Ordinal);

    private static void Add(Dictionary<string, string?> data, string prefix, HoconValue value)
    {
        switch (value)
        {
            case HoconObject o:
                foreach (var (key, child) in o.Fields)
                {
                    Add(data, $"{prefix}:{NormalizeKey(key)}", child);
                }

                break;
            case HoconArray a:
                for (var i = 0; i < a.Items.Count; i++)
                {
                    Add(data, $"{prefix}:{i}", a.Items[i]);
                }

                break;
            case HoconScalar { Type: HoconValueType.Null }:
                data[prefix] = null;
                break;
            case HoconScalar s:
                data[prefix] = s.Text;
                break;
        }
    }
}
