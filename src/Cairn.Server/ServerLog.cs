namespace Cairn.Server;

/// <summary>The server's log messages, with stable event ids.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving the store {Store}")]
    public static partial void Serving(ILogger logger, string store);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "gRPC (ml_metadata.MetadataStoreService, HTTP/2 without TLS) listening on {Address}")]
    public static partial void GrpcListening(ILogger logger, string address);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "HTTP (REST /api/v1, /openapi/v1.json, /healthz, /readyz) listening on {Address}")]
    public static partial void HttpListening(ILogger logger, string address);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Stopping: waiting up to {Seconds} s for calls in flight")]
    public static partial void Stopping(ILogger logger, double seconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Caller} {Method} {Path} {Status} {Milliseconds:0.0} ms")]
    public static partial void HttpAccess(ILogger logger, string caller, string method, string path, string status, double milliseconds);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "{Caller} gRPC {Path} {Status} {Milliseconds:0.0} ms")]
    public static partial void GrpcAccess(ILogger logger, string caller, string path, string status, double milliseconds);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "{Method} failed unexpectedly")]
    public static partial void UnexpectedError(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "{Method}: the store failed ({Code})")]
    public static partial void StoreFailed(ILogger logger, string method, CairnErrorCode code, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Not ready: the store did not answer ({Reason})")]
    public static partial void NotReady(ILogger logger, string reason, Exception exception);
}
