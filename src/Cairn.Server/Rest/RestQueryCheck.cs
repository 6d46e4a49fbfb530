using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Cairn.Server.Rest;

/// <summary>
/// Refuses (400) a query parameter the endpoint does not take, as an unknown JSON field is refused: a misspelt
/// <c>pagesize=5</c> or <c>next_page_token=…</c> would otherwise be ignored and quietly give the default.
/// </summary>
/// <remarks>An endpoint's parameters are its handler's <c>[FromQuery]</c> parameters, the <c>[FromQuery]</c> properties of
/// its <c>[AsParameters]</c> objects, and its plain parameters of simple types (text, numbers, booleans), which minimal APIs
/// bind from the route or else the query; read once, at the endpoint's first request. Names match ignoring case, as
/// binding does.</remarks>
internal static class RestQueryCheck
{
    public static TBuilder RefuseUnknownQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            // The route's own parameters are known only once a request has matched the endpoint; the set is built then,
            // once (two first requests at the same time build the same set).
            (SortedSet<string> Listed, HashSet<string> Lookup)? names = null;
            return invocation =>
            {
                var (known, lookup) = names ??= Index(QueryNames(context.MethodInfo, (invocation.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern));
                foreach (var key in invocation.HttpContext.Request.Query.Keys)
                {
                    if (!lookup.Contains(key)) throw new InvalidArgumentException(RestMessages.UnknownQueryParameter(key, Suggest(key, known), known));
                }

                return next(invocation);
            };
        });

    private static (SortedSet<string> Listed, HashSet<string> Lookup) Index(SortedSet<string> names) =>
        (names, new HashSet<string>(names, StringComparer.OrdinalIgnoreCase));

    /// <summary>The query parameter names a handler binds.</summary>
    internal static SortedSet<string> QueryNames(MethodInfo handler, Microsoft.AspNetCore.Routing.Patterns.RoutePattern? route)
    {
        var routeNames = route?.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } query)
            {
                names.Add(query.Name ?? parameter.Name!);
            }
            else if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties())
                {
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } inner) names.Add(inner.Name ?? property.Name);
                }
            }
            else if (IsSimple(parameter.ParameterType) && !routeNames.Contains(parameter.Name!)
                && !parameter.GetCustomAttributes().Any(a => a is IBindingSourceMetadata))
            {
                names.Add(parameter.Name!);
            }
        }

        return names;
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) type = type.GetElementType()!;
        return type == typeof(string) || type == typeof(bool) || type.IsPrimitive || type == typeof(decimal) || type.IsEnum;
    }

    private static string? Suggest(string given, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: Spelling.EditDistance(given.Replace('-', '_'), k)))
            .Where(k => k.Distance <= Math.Max(2, given.Length / 3))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Select(k => k.Name).FirstOrDefault();
}
