using System.ComponentModel;
using System.Globalization;

namespace ActorChain.Hocon;

/// <summary>
/// A size in bytes. Parses HOCON sizes (<c>128000b</c>, <c>10K</c>, <c>4MiB</c>, <c>1GB</c>, a plain
/// number of bytes) and has a <see cref="TypeConverter"/>, so an options property of this type binds
/// from configuration.
/// </summary>
[TypeConverter(typeof(ByteSizeConverter))]
public readonly record struct ByteSize(long Bytes) : IComparable<ByteSize>
{
    /// <exception cref="FormatException">The text is not a HOCON size.</exception>
    public static ByteSize Parse(string text) =>
        HoconUnits.TryParseSize(text, out var bytes, out var error) ? new ByteSize(bytes) : throw new FormatException(error);

    public static bool TryParse(string? text, out ByteSize size)
    {
        var ok = HoconUnits.TryParseSize(text ?? string.Empty, out var bytes, out _);
        size = new ByteSize(bytes);
        return ok;
    }

    public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);

    /// <summary>The size as HOCON text that parses back to the same value, e.g. <c>4096b</c>.</summary>
    public override string ToString() => Bytes.ToString(CultureInfo.InvariantCulture) + "b";
}

internal sealed class ByteSizeConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? ByteSize.Parse(text) : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is ByteSize size ? size.ToString() : base.ConvertTo(context, culture, value, destinationType);
}
