using System.Globalization;
using ActorChain.Chain.Ledger;
using Microsoft.Extensions.Primitives;

namespace ActorChain.Gateway.Search;

/// <summary>
/// Turns the query string of <c>GET /api/search</c> (or, with only paging allowed, <c>GET /api/files</c>)
/// into a validated <see cref="FileQuery"/>. Unknown parameters are errors, not ignored: a typo
/// would otherwise widen the search silently.
/// </summary>
internal static class SearchQueryParser
{
    public const string FieldPrefix = "field.";

    // fields: the defined fields, so a field.X value is read by X's type. pagingOnly: only skip and take are allowed.
    public static bool TryParse(
        IEnumerable<KeyValuePair<string, StringValues>> parameters,
        IReadOnlyDictionary<string, FieldType> fields,
        bool pagingOnly,
        out FileQuery query,
        out string? error)
    {
        query = new FileQuery();
        error = null;
        var tags = new List<string>();
        var conditions = new List<FieldCondition>();
        long? from = null, to = null;
        GeoCircle? near = null;
        GeoBox? box = null;
        string? name = null;
        int skip = 0, take = FileQuery.DefaultTake;
        foreach (var (key, values) in parameters)
        {
            var single = values.Count == 1 ? values[0] ?? string.Empty : null;
            if (pagingOnly && key is not ("skip" or "take"))
            {
                error = $"'{key}' is not a parameter of this route; it takes only skip and take (search with GET /api/search)";
                return false;
            }

            if (key != "tag" && single is null)
            {
                error = $"'{key}' is given {values.Count} times; it takes one value";
                return false;
            }

            switch (key)
            {
                case "tag":
                    tags.AddRange(values.Select(v => v ?? string.Empty));
                    break;
                case "from" or "to":
                    if (!GatewayDates.TryParse(single, endOfDay: key == "to", out var ms))
                    {
                        error = $"'{key}' is an ISO 8601 date or date-time (2024-07-14 or 2024-07-14T09:30:00Z), not '{single}'";
                        return false;
                    }

                    if (key == "from")
                    {
                        from = ms;
                    }
                    else
                    {
                        to = ms;
                    }

                    break;
                case "near":
                    if (!TryNumbers(single!, 3, out var circle))
                    {
                        error = $"'near' is lat,lon,km (e.g. 48.85,2.35,10), not '{single}'";
                        return false;
                    }

                    near = new GeoCircle(circle[0], circle[1], circle[2]);
                    break;
                case "bbox":
                    if (!TryNumbers(single!, 4, out var edges))
                    {
                        error = $"'bbox' is south,west,north,east in degrees (e.g. 48.8,2.2,48.9,2.4), not '{single}'";
                        return false;
                    }

                    box = new GeoBox(edges[0], edges[1], edges[2], edges[3]);
                    break;
                case "name":
                    name = single;
                    break;
                case "skip" or "take":
                    if (!int.TryParse(single, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    {
                        error = $"'{key}' is a whole number, not '{single}'";
                        return false;
                    }

                    if (key == "skip")
                    {
                        skip = number;
                    }
                    else
                    {
                        take = number;
                    }

                    break;
                default:
                    if (!key.StartsWith(FieldPrefix, StringComparison.Ordinal))
                    {
                        error = $"'{key}' is not a search parameter (tag, field.NAME, from, to, near, bbox, name, skip, take)";
                        return false;
                    }

                    var field = key[FieldPrefix.Length..];
                    if (!fields.TryGetValue(field, out var type))
                    {
                        error = $"'{key}': no field '{field}' is defined (POST /api/fields defines one)";
                        return false;
                    }

                    if (!FieldValue.TryParse(type, single, out var value, out var valueError))
                    {
                        error = $"'{key}': {valueError}";
                        return false;
                    }

                    conditions.Add(new FieldCondition(field, value!));
                    break;
            }
        }

        query = new FileQuery
        {
            Tags = tags,
            Fields = conditions,
            TakenFromUnixMs = from,
            TakenToUnixMs = to,
            Near = near,
            Within = box,
            NamePrefix = name,
            Skip = skip,
            Take = take,
        };
        try
        {
            query.Validate();
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }

        return true;
    }

    private static bool TryNumbers(string text, int count, out double[] numbers)
    {
        var parts = text.Split(',');
        numbers = new double[count];
        if (parts.Length != count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        return true;
    }
}
