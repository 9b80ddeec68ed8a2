using System.Text.Json;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Gateway.Search;
using Microsoft.AspNetCore.Http;

namespace ActorChain.Gateway;

/// <summary>PUT /api/files/{id}/metadata, POST/GET /api/fields, GET /api/search.</summary>
internal sealed partial class GatewayApi
{
    private async Task<IResult> PutMetadataAsync(string id, HttpContext http)
    {
        if (!TryFileId(id, out var fileId, out var bad))
        {
            return bad!;
        }

        var (entryId, badId) = EntryIdOf(http.Request);
        if (badId is not null)
        {
            return badId;
        }

        var (json, problem) = await ReadJsonObjectAsync(http.Request, allowEmpty: false);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            using (json)
            {
                var (file, fields) = await Chain.QueryAsync(
                    ledger => (ledger.TryGetFile(fileId, out var f) ? f : null, new Dictionary<string, FieldType>(ledger.Fields, StringComparer.Ordinal)),
                    http.RequestAborted);
                if (file is null)
                {
                    return UnknownFile(fileId);
                }

                if (ReadMetadataChange(fileId, json!.RootElement, fields, out var payload) is { } badBody)
                {
                    return badBody;
                }

                var (result, submitProblem) = await SubmitAsync(NewEntry(entryId!, EntryKind.FileMeta, payload!.Encode()), http);
                if (submitProblem is not null)
                {
                    return submitProblem;
                }

                if (result!.Status != EntryStatus.Applied)
                {
                    return Problem(StatusCodes.Status409Conflict, "Metadata rejected", $"The ledger rejected file.meta {result.EntryId} at height {result.Height}: {result.Reason}.");
                }

                var updated = await FindAsync(fileId, http);
                return updated is null ? UnknownFile(fileId) : Results.Json(FileView.Of(updated), GatewayJsonContext.Default.FileView);
            }
        }
        catch (ChainUnavailableException e)
        {
            return Unavailable(e);
        }
    }

    /// <summary>Null and the payload when the body is a valid change; otherwise the 400 that says what is wrong.</summary>
    private static IResult? ReadMetadataChange(string fileId, JsonElement body, IReadOnlyDictionary<string, FieldType> defined, out FileMetaPayload? payload)
    {
        payload = null;
        List<string> addTags = [], removeTags = [], clearFields = [];
        var setFields = new List<KeyValuePair<string, FieldValue>>();
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "addTags":
                    if (!TryStringArray(property.Value, property.Name, out addTags, out var badAdd))
                    {
                        return badAdd;
                    }

                    break;
                case "removeTags":
                    if (!TryStringArray(property.Value, property.Name, out removeTags, out var badRemove))
                    {
                        return badRemove;
                    }

                    break;
                case "clearFields":
                    if (!TryStringArray(property.Value, property.Name, out clearFields, out var badClear))
                    {
                        return badClear;
                    }

                    if (clearFields.FirstOrDefault(name => !defined.ContainsKey(name)) is { } unknownClear)
                    {
                        return BadRequest("Unknown field", $"clearFields names '{Shorten(unknownClear)}', which is not a defined field (GET /api/fields lists them).");
                    }

                    break;
                case "fields":
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        return BadRequest("Bad metadata", $"'fields' is an object of field name to value, not a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}.");
                    }

                    foreach (var field in property.Value.EnumerateObject())
                    {
                        if (!defined.TryGetValue(field.Name, out var type))
                        {
                            return BadRequest("Unknown field", $"'{Shorten(field.Name)}' is not a defined field; define it first with POST /api/fields.");
                        }

                        if (!GatewayJson.TryReadValue(field.Name, type, field.Value, out var value, out var error))
                        {
                            return BadRequest("Bad field value", error!);
                        }

                        setFields.Add(new(field.Name, value!));
                    }

                    break;
                default:
                    return BadRequest("Bad metadata", $"'{Shorten(property.Name)}' is not a metadata property; they are addTags, removeTags, fields and clearFields.");
            }
        }

        try
        {
            payload = new FileMetaPayload(fileId, addTags, removeTags, setFields, clearFields);
            return null;
        }
        catch (ArgumentException e)
        {
            return BadRequest("Bad metadata", e.Message);
        }
    }

    private async Task<IResult> DefineFieldAsync(HttpContext http)
    {
        var (entryId, badId) = EntryIdOf(http.Request);
        if (badId is not null)
        {
            return badId;
        }

        var (json, problem) = await ReadJsonObjectAsync(http.Request, allowEmpty: false);
        if (problem is not null)
        {
            return problem;
        }

        string? name = null, typeName = null;
        using (json)
        {
            foreach (var property in json!.RootElement.EnumerateObject())
            {
                if (property.Name is not ("name" or "type"))
                {
                    return BadRequest("Bad field", $"'{Shorten(property.Name)}' is not a property of a field definition; it has name and type.");
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return BadRequest("Bad field", $"'{property.Name}' is a string, not a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}.");
                }

                if (property.Name == "name")
                {
                    name = property.Value.GetString();
                }
                else
                {
                    typeName = property.Value.GetString();
                }
            }
        }

        if (!FieldTypes.TryParse(typeName, out var type))
        {
            return BadRequest("Bad field type", $"A field's type is string, number, date, geo or tags, not '{Shorten(typeName ?? "(missing)")}'.");
        }

        FieldDefinePayload payload;
        try
        {
            payload = new FieldDefinePayload(name!, type);
        }
        catch (ArgumentException e)
        {
            return BadRequest("Bad field name", e.Message);
        }

        try
        {
            var existing = await Chain.QueryAsync(ledger => ledger.TryGetField(payload.Name, out var t) ? t : (FieldType?)null, http.RequestAborted);
            if (existing is { } current && current != type)
            {
                return FieldConflict(payload.Name, current, type);
            }

            var (result, submitProblem) = await SubmitAsync(NewEntry(entryId!, EntryKind.FieldDefine, payload.Encode()), http);
            if (submitProblem is not null)
            {
                return submitProblem;
            }

            if (result!.Status != EntryStatus.Applied)
            {
                return Problem(StatusCodes.Status409Conflict, "Field conflict", $"The ledger rejected field.define {result.EntryId} at height {result.Height}: {result.Reason}.");
            }

            return Results.Json(
                new FieldDefinedView(payload.Name, type.ToWireName(), result.Height),
                GatewayJsonContext.Default.FieldDefinedView,
                statusCode: StatusCodes.Status201Created);
        }
        catch (ChainUnavailableException e)
        {
            return Unavailable(e);
        }
    }

    private static IResult FieldConflict(string name, FieldType current, FieldType wanted) => Problem(
        StatusCodes.Status409Conflict,
        "Field conflict",
        $"Field '{name}' is already defined as {current.ToWireName()}; it cannot become {wanted.ToWireName()}.");

    private async Task<IResult> ListFieldsAsync(HttpContext http)
    {
        var fields = await Chain.QueryAsync(
            ledger => ledger.Fields.Select(f => new FieldView(f.Key, f.Value.ToWireName())).ToArray(),
            http.RequestAborted);
        return Results.Json(fields, GatewayJsonContext.Default.FieldViewArray);
    }

    private Task<IResult> SearchAsync(HttpContext http) => RunSearchAsync(http, pagingOnly: false);

    private async Task<IResult> RunSearchAsync(HttpContext http, bool pagingOnly)
    {
        var parameters = http.Request.Query;

        // Parsed on the chain actor's turn: field.X is read by the type X has in the same ledger state the search then sees.
        var (result, query, error) = await Chain.QueryAsync(
            ledger =>
            {
                if (!SearchQueryParser.TryParse(parameters, ledger.Fields, pagingOnly, out var parsed, out var parseError))
                {
                    return ((FileSearchResult?)null, parsed, parseError);
                }

                return (ledger.Search(parsed), parsed, (string?)null);
            },
            http.RequestAborted);
        if (result is null)
        {
            return BadRequest("Bad search", error!);
        }

        return Results.Json(
            new SearchResultView(result.Total, query.Skip, query.Take, [.. result.Items.Select(FileView.Of)]),
            GatewayJsonContext.Default.SearchResultView);
    }
}
