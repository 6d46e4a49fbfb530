using System.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Rest;

/// <summary>
/// Refuses (400) a query parameter the endpoint does not take, as an unknown JSON field is refused: a misspelt
/// <c>pagesize=5</c> or <c>next_page_token=…</c> would otherwise be ignored and quietly give the default.
/// </summary>
/// <remarks>An endpoint's parameters are its handler's <c>[FromQuery]</c> parameters and the <c>[FromQuery]</c> properties
/// of its <c>[AsParameters]</c> objects, read once when the endpoint is built.</remarks>
internal static class RestQueryCheck
{
    public static TBuilder RefuseUnknownQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var known = QueryNames(context.MethodInfo);
            return invocation =>
            {
                foreach (var key in invocation.HttpContext.Request.Query.Keys)
                {
                    if (!known.Contains(key)) throw new InvalidArgumentException(RestMessages.UnknownQueryParameter(key, Suggest(key, known), known));
                }

                return next(invocation);
            };
        });

    /// <summary>The query parameter names a handler binds.</summary>
    internal static SortedSet<string> QueryNames(MethodInfo handler)
    {
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
        }

        return names;
    }

    private static string? Suggest(string given, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: Spelling.EditDistance(given.Replace('-', '_'), k)))
            .Where(k => k.Distance <= Math.Max(2, given.Length / 3))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Select(k => k.Name).FirstOrDefault();
}
