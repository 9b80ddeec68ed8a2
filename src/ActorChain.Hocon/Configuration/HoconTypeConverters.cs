using System.ComponentModel;
using System.Globalization;

namespace ActorChain.Hocon.Configuration;

/// <summary>
/// The configuration binder converts strings with <see cref="TypeDescriptor.GetConverter(Type)"/>;
/// registering converters there lets options bind HOCON durations such as <c>5s</c> and HOCON's
/// boolean words <c>on</c>/<c>off</c>/<c>yes</c>/<c>no</c>.
/// </summary>
internal static class HoconTypeConverters
{
    private static int _registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(HoconTimeSpanConverter)));
            TypeDescriptor.AddAttributes(typeof(bool), new TypeConverterAttribute(typeof(HoconBooleanConverter)));
        }
    }
}

/// <summary>
/// Text with a ':' is a standard TimeSpan (<c>00:00:05</c>, <c>1.02:00:00</c>); anything else is a
/// HOCON duration, where a bare number means milliseconds (not days, as TimeSpan.Parse would say).
/// </summary>
internal sealed class HoconTimeSpanConverter : TimeSpanConverter
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string text || text.Contains(':', StringComparison.Ordinal))
        {
            return base.ConvertFrom(context, culture, value);
        }

        return HoconUnits.TryParseDuration(text, out var duration, out var error) ? duration : throw new FormatException(error);
    }
}

/// <summary>HOCON reads <c>yes</c>/<c>on</c> as true and <c>no</c>/<c>off</c> as false, beside <c>true</c>/<c>false</c>.</summary>
internal sealed class HoconBooleanConverter : BooleanConverter
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value switch
        {
            "yes" or "on" => true,
            "no" or "off" => false,
            _ => base.ConvertFrom(context, culture, value),
        };
}
