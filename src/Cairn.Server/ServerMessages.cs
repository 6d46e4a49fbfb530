using System.Globalization;

namespace Cairn.Server;

/// <summary>Messages about configuring and running the server, in one place; tests assert them through these accessors.</summary>
public static class ServerMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    public static string BindNotAnAddress(string bind) => F("--bind '{0}' is not an IP address; use an address such as 127.0.0.1, ::1 or 0.0.0.0, or 'localhost'.", bind);
    public static string RemoteBindRefused(string bind) => F("Refusing to listen on '{0}', which is reachable from other machines, without authentication. Bind to 127.0.0.1 (the default), or pass --allow-remote if the network is trusted.", bind);
    public static string PortOutOfRange(string option, int port) => F("{0} must be between 0 and 65535 (0 picks a free port); got {1}.", option, port);
    public static string PortsEqual(int port) => F("The gRPC and HTTP ports must differ; both are {0}.", port);
    public static string MessageSizeOutOfRange(int megabytes) => F("--max-message-mb must be between 1 and 2047; got {0}.", megabytes);
    public static string CannotListen(string address, string detail) => F("Cannot listen on {0}: {1} Choose other ports with --grpc-port and --http-port, or stop what uses them.", address, detail);
    public static string CheckPassed => "Check passed: the store answers over gRPC and /readyz says ready. Stopping.";
    public static string CheckFailed(string detail) => F("Check failed: {0}", detail);
    public static string NotReady(string reason) => F("not ready: {0}", reason);
    public static string PutNodesEmpty => "PutNodes needs one of put_artifacts, put_executions, put_contexts, put_execution or put_lineage_subgraph.";
    public static string GetLabelsNoKind => "GetLabels needs a kind: NODE_KIND_ARTIFACT, NODE_KIND_EXECUTION or NODE_KIND_CONTEXT.";
}
