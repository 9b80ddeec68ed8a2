using Microsoft.Extensions.Configuration;

namespace ActorChain.Hocon.Configuration;

internal sealed class HoconFileConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new HoconFileConfigurationProvider(this);
    }
}

/// <summary>
/// Parses the file from its physical path rather than a stream, so that includes are found next
/// to it, and lets <see cref="HoconException"/> through unwrapped so its location reaches the user.
/// </summary>
internal sealed class HoconFileConfigurationProvider(HoconFileConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load()
    {
        var file = Source.FileProvider?.GetFileInfo(Source.Path ?? string.Empty);
        if (file is null || !file.Exists)
        {
            if (Source.Optional)
            {
                Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                return;
            }

            var where = file?.PhysicalPath is { } physical ? $" (looked for {physical})" : string.Empty;
            throw new FileNotFoundException($"The HOCON configuration file '{Source.Path}' was not found{where}.", file?.PhysicalPath ?? Source.Path);
        }

        if (file.PhysicalPath is { } path)
        {
            Data = HoconFlattener.Flatten(HoconParser.ParseFile(path).Root);
            return;
        }

        using var stream = file.CreateReadStream();
        Load(stream);
    }

    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        Data = HoconFlattener.Flatten(HoconParser.Parse(reader.ReadToEnd(), Source.Path).Root);
    }
}

internal sealed class HoconStringConfigurationSource(string text, string? fileName) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconStringConfigurationProvider(text, fileName);
}

internal sealed class HoconStringConfigurationProvider(string text, string? fileName) : ConfigurationProvider
{
    public override void Load() => Data = HoconFlattener.Flatten(HoconParser.Parse(text, fileName).Root);
}
