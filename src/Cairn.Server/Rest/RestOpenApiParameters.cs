using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cairn.Server.Rest;

/// <summary>
/// Handlers take query values as text so that a malformed one gets Cairn's own 400 message; the document still says what
/// each parameter holds (an int64 id, a boolean, a bounded integer) and what it means.
/// </summary>
internal static class RestOpenApiParameters
{
    private sealed record Shape(JsonSchemaType Type, string? Format, string? Minimum, string? Maximum, string Description);

    private static readonly Dictionary<string, Shape> Shapes = new(StringComparer.Ordinal)
    {
        ["id"] = new(JsonSchemaType.Integer, "int64", "1", null, "The id."),
        ["filter_query"] = new(JsonSchemaType.String, null, null, null, "An MLMD filter query (docs/filter-queries.md)."),
        ["order_by"] = new(JsonSchemaType.String, null, null, null, "id (default), create_time or last_update_time."),
        ["is_asc"] = new(JsonSchemaType.Boolean, null, null, null, "Ascending (default true)."),
        ["page_size"] = new(JsonSchemaType.Integer, "int32", "1", "100", "Items per page (default 20)."),
        ["page_token"] = new(JsonSchemaType.String, null, null, null, "The next_page_token of the previous page."),
        ["type"] = new(JsonSchemaType.String, null, null, null, "A type name."),
        ["type_version"] = new(JsonSchemaType.String, null, null, null, "The type's version (empty: unversioned)."),
        ["version"] = new(JsonSchemaType.String, null, null, null, "The type's version (empty: unversioned)."),
        ["name"] = new(JsonSchemaType.String, null, null, null, "A name."),
        ["can_add_fields"] = new(JsonSchemaType.Boolean, null, null, null, "Allow properties the stored type lacks (default false)."),
        ["can_omit_fields"] = new(JsonSchemaType.Boolean, null, null, null, "Allow leaving out properties the stored type has (default false)."),
        ["abort_if_latest_updated_time_changed"] = new(JsonSchemaType.Boolean, null, null, null, "Refuse (412) when the stored last_update_time_since_epoch differs from the body's (artifacts)."),
        ["direction"] = new(JsonSchemaType.String, null, null, null, "upstream (default), downstream or both."),
        ["depth"] = new(JsonSchemaType.Integer, "int32", "0", "1000", "Edges to follow (default 20)."),
        ["max_nodes"] = new(JsonSchemaType.Integer, "int32", "1", "1000000", "Node budget (default 10000); a truncated answer has a continuation_token."),
        ["max_hops"] = new(JsonSchemaType.Integer, "int32", "1", "500", "Artifact generations to follow (default 10)."),
        ["continue"] = new(JsonSchemaType.String, null, null, null, "The continuation_token of a truncated answer."),
        ["stop_at_artifacts"] = new(JsonSchemaType.String, null, null, null, "A filter query: matching artifacts are returned but not expanded."),
        ["stop_at_executions"] = new(JsonSchemaType.String, null, null, null, "A filter query: matching executions are returned but not expanded."),
        ["after"] = new(JsonSchemaType.Integer, "int64", "0", null, "The cursor: changes after this seq (default 0, the start)."),
        ["entity"] = new(JsonSchemaType.String, null, null, null, "Only changes of this entity: " + ChangeLog.EntityNames + "."),
        ["ids_only"] = new(JsonSchemaType.Boolean, null, null, null, "Nodes carry only their ids (the traversal alone; default false)."),
        ["include_invalid"] = new(JsonSchemaType.Boolean, null, null, null, "Also list the invalid instances, with their reasons (default false)."),
        ["schema_name"] = new(JsonSchemaType.String, null, null, null, "Only instances of this schema."),
        ["include_secrets"] = new(JsonSchemaType.Boolean, null, null, null, "Show the values of secret properties (only on a server bound to loopback); otherwise they are ********."),
    };

    private static readonly Dictionary<string, (JsonSchemaType Type, string? Format, string Description)> Lists = new(StringComparer.Ordinal)
    {
        ["external_id"] = (JsonSchemaType.String, null, "External ids (repeated or comma separated)."),
        ["uri"] = (JsonSchemaType.String, null, "URIs (repeated)."),
        ["update_mask"] = (JsonSchemaType.String, null, "Field paths to update (repeated or comma separated); absent: the fields the body has."),
        ["artifact_id"] = (JsonSchemaType.Integer, "int64", "Artifact ids (repeated or comma separated)."),
        ["execution_id"] = (JsonSchemaType.Integer, "int64", "Execution ids (repeated or comma separated)."),
    };

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is not OpenApiParameter p || p.Name is null) continue;
            if (Shapes.TryGetValue(p.Name, out var shape))
            {
                p.Schema = new OpenApiSchema { Type = shape.Type, Format = shape.Format, Minimum = shape.Minimum, Maximum = shape.Maximum };
                p.Description = shape.Description;
            }
            else if (Lists.TryGetValue(p.Name, out var list))
            {
                p.Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = list.Type, Format = list.Format } };
                p.Description = list.Description;
            }
        }

        return Task.CompletedTask;
    }
}
