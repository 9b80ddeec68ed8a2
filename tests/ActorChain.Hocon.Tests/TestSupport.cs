namespace ActorChain.Hocon.Tests;

internal static class Hocon
{
    /// <summary>Parses with a fixed environment so ambient variables cannot change a test's outcome.</summary>
    public static HoconRoot Parse(string text, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value);
        return HoconParser.Parse(text, "test.conf", name => variables.GetValueOrDefault(name));
    }

    public static HoconValue Value(this HoconRoot root, params string[] path)
    {
        HoconValue value = root.Root;
        foreach (var element in path)
        {
            value = ((HoconObject)value).Fields[element];
        }

        return value;
    }

    public static HoconException Error(string text) => Assert.Throws<HoconException>(() => Parse(text));
}

/// <summary>A directory under the temp folder, removed when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actorchain-hocon-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
