using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Cairn.Server.Rest;

/// <summary>
/// The one place REST errors become RFC 9457 problem details: a <see cref="CairnException"/> keeps its message and gets
/// the status of its code; a route or method that does not exist, a malformed or oversized body get theirs; anything
/// unexpected becomes 500 with a generic message, and its details go to the log. gRPC calls pass through untouched.
/// </summary>
internal sealed class RestErrors(RequestDelegate next, ILogger<RestErrors> logger, long maxRequestBodyBytes)
{
    public const string ProblemContentType = "application/problem+json";

    public Task InvokeAsync(HttpContext http) => IsGrpc(http.Request) ? next(http) : InvokeRestAsync(http);

    private async Task InvokeRestAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = maxRequestBodyBytes;

        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return;
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            var (status, code, detail) = Classify(e);
            if (status >= 500) LogFailure(http, e);
            await WriteAsync(http, status, code, detail).ConfigureAwait(false);
            return;
        }

        var response = http.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentType is null && response.ContentLength is null)
        {
            var detail = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => RestMessages.RouteNotFound(http.Request.Method, http.Request.Path),
                StatusCodes.Status405MethodNotAllowed => RestMessages.MethodNotAllowed(http.Request.Method, http.Request.Path),
                StatusCodes.Status413PayloadTooLarge => RestMessages.BodyTooLarge(maxRequestBodyBytes),
                StatusCodes.Status415UnsupportedMediaType => RestMessages.ContentTypeNotJson(http.Request.ContentType),
                _ => RestMessages.BadRequest,
            };
            await WriteAsync(http, response.StatusCode, null, detail, clear: false).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a request is a gRPC call (by its content type), which REST's handling leaves alone.</summary>
    internal static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    private (int Status, string? Code, string Detail) Classify(Exception e) => e switch
    {
        CairnException c => (StatusOf(c.Code), CodeName(c.Code), c.Code is CairnErrorCode.Internal or CairnErrorCode.DataLoss ? RestMessages.InternalError : c.Message),
        RestTooLargeException t => (StatusCodes.Status413PayloadTooLarge, null, t.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, null, RestMessages.BodyTooLarge(maxRequestBodyBytes)),
        BadHttpRequestException b => (b.StatusCode, null, b.Message),
        ArgumentException a => (StatusCodes.Status400BadRequest, CodeName(CairnErrorCode.InvalidArgument), a.Message),
        _ => (StatusCodes.Status500InternalServerError, CodeName(CairnErrorCode.Internal), RestMessages.InternalError),
    };

    private void LogFailure(HttpContext http, Exception e)
    {
        var what = http.Request.Method + " " + http.Request.Path;
        if (e is CairnException c) ServerLog.StoreFailed(logger, what, c.Code, e);
        else ServerLog.UnexpectedError(logger, what, e);
    }

    /// <summary>The HTTP status of an error code: MLMD's gRPC codes mapped as google.rpc's HTTP mapping does, except FailedPrecondition → 412.</summary>
    public static int StatusOf(CairnErrorCode code) => code switch
    {
        CairnErrorCode.InvalidArgument or CairnErrorCode.OutOfRange => StatusCodes.Status400BadRequest,
        CairnErrorCode.NotFound => StatusCodes.Status404NotFound,
        CairnErrorCode.AlreadyExists or CairnErrorCode.Aborted => StatusCodes.Status409Conflict,
        CairnErrorCode.FailedPrecondition => StatusCodes.Status412PreconditionFailed,
        CairnErrorCode.Unimplemented => StatusCodes.Status501NotImplemented,
        CairnErrorCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The MLMD (gRPC) status name of a code, e.g. NOT_FOUND.</summary>
    public static string CodeName(CairnErrorCode code) => MlmdNames.Of(code);

    private static async Task WriteAsync(HttpContext http, int status, string? code, string detail, bool clear = true)
    {
        var response = http.Response;
        if (clear) response.Clear();
        response.StatusCode = status;
        response.ContentType = ProblemContentType;
        // Written by hand rather than through the serializer context so that quotes and apostrophes in messages stay readable.
        await using var json = new Utf8JsonWriter(response.Body, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("type", "about:blank");
        json.WriteString("title", ReasonPhrases.GetReasonPhrase(status));
        json.WriteNumber("status", status);
        json.WriteString("detail", detail);
        json.WriteString("instance", http.Request.Path.Value);
        if (code is not null) json.WriteString("code", code);
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}
