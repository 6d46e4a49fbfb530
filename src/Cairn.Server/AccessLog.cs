using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace Cairn.Server;

/// <summary>
/// One line per finished request when <see cref="ServerOptions.AccessLog"/> is on: the caller, the method and path (a gRPC
/// call as <c>gRPC</c> and its service/method), the outcome (the HTTP status, or the gRPC status name, which for gRPC
/// arrives in the trailers) and how long the server took. Off by default: a busy server's log stays about the server.
/// </summary>
internal sealed class AccessLog(RequestDelegate next, ILogger<AccessLog> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var request = context.Request;
            var caller = context.Connection.RemoteIpAddress?.ToString() ?? "-";
            if (Rest.RestErrors.IsGrpc(request))
            {
                ServerLog.GrpcAccess(logger, caller, request.Path.Value ?? string.Empty, GrpcOutcome(context), elapsed);
            }
            else
            {
                var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted
                    ? "aborted"
                    : context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
                ServerLog.HttpAccess(logger, caller, request.Method, request.Path.Value + request.QueryString.Value, status, elapsed);
            }
        }
    }

    /// <summary>The gRPC status name: from the trailers, or from the headers of a trailers-only answer.</summary>
    internal static string GrpcOutcome(HttpContext context)
    {
        string? code = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"];
        if (string.IsNullOrEmpty(code)) code = context.Response.Headers["grpc-status"];
        if (string.IsNullOrEmpty(code)) return context.RequestAborted.IsCancellationRequested ? "aborted" : "HTTP " + context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
        return int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && Enum.IsDefined((global::Grpc.Core.StatusCode)number)
            ? ((global::Grpc.Core.StatusCode)number).ToString()
            : code;
    }
}
