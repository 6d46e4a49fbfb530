using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Rest;

/// <summary>Reads request bodies and query values, turning every malformed input into an <see cref="InvalidArgumentException"/> that names it.</summary>
internal static class RestInput
{
    /// <summary>Reads the whole body (bounded by the request size limit) and deserializes it as <typeparamref name="T"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type, string what)
    {
        var bytes = await ReadBytesAsync(http, what).ConfigureAwait(false);
        return Deserialize(bytes, type, what);
    }

    /// <summary>Reads a body that is either one object or an array of them.</summary>
    public static async Task<(IReadOnlyList<T> Items, bool IsBatch)> ReadOneOrManyAsync<T>(
        HttpContext http, JsonTypeInfo<T> one, JsonTypeInfo<List<T>> many, string what)
    {
        var bytes = await ReadBytesAsync(http, what).ConfigureAwait(false);
        if (FirstToken(bytes) == (byte)'[')
        {
            var items = Deserialize(bytes, many, what);
            if (items.Count == 0) throw new InvalidArgumentException(RestMessages.EmptyBatch(what));
            if (items.Any(i => i is null)) throw new InvalidArgumentException(RestMessages.ValueNull(what));
            return (items, true);
        }

        return ([Deserialize(bytes, one, what)], false);
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext http, string what)
    {
        var request = http.Request;
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
            throw new InvalidArgumentException(RestMessages.ContentTypeNotJson(contentType));

        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && request.ContentLength > max) throw new RestTooLargeException(max);

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0 || FirstToken(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) == 0)
            throw new InvalidArgumentException(RestMessages.BodyMissing(what));
        return buffer.ToArray();
    }

    private static bool IsJson(string contentType)
    {
        var media = contentType.Split(';')[0].Trim();
        return string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || string.Equals(media, "text/json", StringComparison.OrdinalIgnoreCase);
    }

    private static byte FirstToken(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)) return b;
        }

        return 0;
    }

    private static T Deserialize<T>(byte[] bytes, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new InvalidArgumentException(RestMessages.BodyMissing(what));
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException(
                RestMessages.BodyNotJson(what, Reason(e), (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, e.Path), e);
        }
    }

    /// <summary>The reader's own words, without its position suffix and without .NET type names.</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        const string unmapped = "The JSON property '";
        if (message.StartsWith(unmapped, StringComparison.Ordinal))
        {
            var end = message.IndexOf('\'', unmapped.Length);
            if (end > 0) return RestMessages.BodyUnknownField(message[unmapped.Length..end]);
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)) return RestMessages.BodyWrongType;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        if (message.Contains("Cairn.", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal)) return RestMessages.BodyWrongType;
        return message.TrimEnd('.', ' ');
    }

    // ------------------------------------------------------------------ query and route values

    public static long Id(string? text, string name)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return id;
        throw new InvalidArgumentException(RestMessages.NotAnId(name, text ?? string.Empty));
    }

    public static List<long> Ids(string[]? values, string name)
    {
        var ids = new List<long>();
        foreach (var value in values ?? [])
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) ids.Add(Id(part, name));
        }

        return ids;
    }

    public static List<string> Strings(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    public static bool? Bool(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (bool.TryParse(text, out var b)) return b;
        if (text == "1") return true;
        if (text == "0") return false;
        throw new InvalidArgumentException(RestMessages.NotABoolean(name, text));
    }

    public static int? Int(string? text, string name, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max) return i;
        throw new InvalidArgumentException(RestMessages.NotAnInteger(name, text, min, max));
    }

    public static ListOptions List(RestListQuery query)
    {
        var order = query.OrderBy?.Trim().ToLowerInvariant() switch
        {
            null or "" or "id" => OrderByField.Id,
            "create_time" or "create_time_since_epoch" => OrderByField.CreateTime,
            "last_update_time" or "last_update_time_since_epoch" => OrderByField.LastUpdateTime,
            _ => throw new InvalidArgumentException(RestMessages.OrderByUnknown(query.OrderBy!)),
        };
        return new ListOptions
        {
            FilterQuery = string.IsNullOrWhiteSpace(query.FilterQuery) ? null : query.FilterQuery,
            OrderBy = order,
            IsAscending = Bool(query.IsAsc, "is_asc") ?? true,
            MaxResultSize = Int(query.PageSize, "page_size", 1, ListOptions.MaxPageSize) ?? 20,
            NextPageToken = string.IsNullOrEmpty(query.PageToken) ? null : query.PageToken,
        };
    }
}

/// <summary>The paging, ordering and filtering query parameters of every paged list.</summary>
internal sealed class RestListQuery
{
    /// <summary>An MLMD filter query (docs/filter-queries.md).</summary>
    [FromQuery(Name = "filter_query")]
    public string? FilterQuery { get; set; }

    /// <summary>id (default), create_time or last_update_time.</summary>
    [FromQuery(Name = "order_by")]
    public string? OrderBy { get; set; }

    /// <summary>true (default) or false.</summary>
    [FromQuery(Name = "is_asc")]
    public string? IsAsc { get; set; }

    /// <summary>Items per page, 1 to 100; default 20.</summary>
    [FromQuery(Name = "page_size")]
    public string? PageSize { get; set; }

    /// <summary>The next_page_token of the previous page.</summary>
    [FromQuery(Name = "page_token")]
    public string? PageToken { get; set; }
}

/// <summary>The request body exceeds the configured limit (413).</summary>
internal sealed class RestTooLargeException(long limit) : Exception(RestMessages.BodyTooLarge(limit))
{
    public long Limit { get; } = limit;
}
