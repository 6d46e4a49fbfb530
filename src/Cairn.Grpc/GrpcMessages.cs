using System.Globalization;

namespace Cairn.Grpc;

/// <summary>
/// The messages the gRPC server and client add to Cairn's own (<see cref="Messages"/>): what went wrong on the wire,
/// and how to fix it. Tests assert them through these accessors.
/// </summary>
public static class GrpcMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    // ---- mapping
    public static string StructNotJsonObject(string property, string detail) => F("Property '{0}' holds a struct value that is not a JSON object ({1}).", property, detail);
    public static string StructTypeInvalid(string field, string detail) => F("The execution type's {0} is not a serialized ml_metadata.ArtifactStructType ({1}).", field, detail);

    // ---- server
    public static string UnknownChangeOperation(string operation) => F("The server sent a change with unknown operation '{0}'; update the client.", operation);
    public static string DeprecatedUriField => "The request contains deprecated field `uri`. Please use the new repeated field `uris` instead.";
    public static string LineageGraphUnimplemented => "GetLineageGraph is not implemented.";
    public static string InternalError => "The server failed unexpectedly while handling the call; the details are in the server's log.";
    public static string CallCancelled => "The call was cancelled before it finished.";

    // ---- client
    public static string GrpcUriInvalid(string uri) => F("The store URI '{0}' is not a valid grpc:// URI. Use grpc://host:port, e.g. grpc://127.0.0.1:8080.", uri);
    public static string GrpcUriBadOption(string uri, string option) => F("The store URI '{0}' has an option Cairn does not understand: {1}. The only option is timeout_sec=SECONDS.", uri, option);
    public static string NotGrpc(string where) => F("The server at '{0}' does not speak gRPC over HTTP/2; is this cairn serve's HTTP (REST) port? Use its gRPC port (--grpc-port, default 8080).", where);

    public static string ServerUnreachable(string where, string detail) => F("Cannot reach the Cairn server at '{0}' ({1}). Check that 'cairn serve' runs there and that host and port are right.", where, detail);
    public static string ServerTimedOut(string where, double seconds) => F("The Cairn server at '{0}' did not answer within {1} s. Retry, or raise timeout_sec in the store URI.", where, seconds);
    public static string ServerAnswered(string where, string code, string detail) => F("The Cairn server at '{0}' answered {1}: {2}", where, code, detail);
}
