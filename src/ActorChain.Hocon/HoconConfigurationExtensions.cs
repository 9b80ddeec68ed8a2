using ActorChain.Hocon.Configuration;

// In the framework's namespace, like AddJsonFile, so that a configuration builder finds these
// methods without another using directive.
namespace Microsoft.Extensions.Configuration;

/// <summary>
/// Adds HOCON files to a configuration. Keys are flattened with ':' between path elements and
/// array elements by index (<c>seed-nodes = [a, b]</c> gives <c>...:seednodes:0</c> and
/// <c>...:seednodes:1</c>); a null value gives a key whose value is null; empty objects and arrays
/// give no key.
/// <para>
/// Dashes are removed from every key element: <c>actorchain.node.http-port</c> becomes
/// <c>actorchain:node:httpport</c>. Configuration keys are case-insensitive, so that binds to an
/// options property <c>HttpPort</c>, and can be overridden by the environment variable
/// <c>ACTORCHAIN__NODE__HTTPPORT</c> (environment variable names cannot hold dashes) or by a
/// command-line switch mapped to <c>actorchain:node:httpport</c>.
/// </para>
/// <para>
/// Both methods also register, once per process, a TimeSpan type converter that accepts HOCON
/// durations (<c>5s</c>, <c>200ms</c>, <c>1 minute</c>; a bare number is milliseconds) as well as
/// the standard <c>00:00:05</c> form, so options bind durations. <see cref="ActorChain.Hocon.ByteSize"/>
/// binds sizes such as <c>4MiB</c>.
/// </para>
/// </summary>
public static class HoconConfigurationExtensions
{
    /// <summary>
    /// Adds a HOCON file. A relative path is resolved against the builder's base path
    /// (<c>SetBasePath</c>, by default <see cref="AppContext.BaseDirectory"/>), as with
    /// <c>AddJsonFile</c>; includes are resolved next to the file. Parse errors are thrown as
    /// <see cref="ActorChain.Hocon.HoconException"/> when the configuration is built. The file is
    /// not watched for changes.
    /// </summary>
    /// <param name="builder">The builder to add to.</param>
    /// <param name="path">The HOCON file.</param>
    /// <param name="optional">When true, a missing file adds nothing instead of failing.</param>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        HoconTypeConverters.EnsureRegistered();
        var source = new HoconFileConfigurationSource { Path = path, Optional = optional, ReloadOnChange = false };
        source.ResolveFileProvider();
        return builder.Add(source);
    }

    /// <summary>Adds HOCON text; relative includes are resolved next to <paramref name="fileName"/> or in the current directory.</summary>
    /// <param name="builder">The builder to add to.</param>
    /// <param name="text">The HOCON document.</param>
    /// <param name="fileName">Shown in error messages.</param>
    public static IConfigurationBuilder AddHoconString(this IConfigurationBuilder builder, string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        HoconTypeConverters.EnsureRegistered();
        return builder.Add(new HoconStringConfigurationSource(text, fileName));
    }
}
