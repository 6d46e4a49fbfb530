using Cairn.Grpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cairn.Server;

/// <summary>
/// The one place errors become gRPC statuses: a <see cref="CairnException"/> keeps its message and its code, which is
/// MLMD's status code; anything unexpected becomes INTERNAL with a generic message, and its details go to the log.
/// </summary>
internal sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (CairnException e)
        {
            if (e.Code is CairnErrorCode.Internal or CairnErrorCode.DataLoss or CairnErrorCode.Unavailable)
                ServerLog.StoreFailed(logger, context.Method, e.Code, e);
            throw new RpcException(new Status((StatusCode)(int)e.Code, e.Message));
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, GrpcMessages.CallCancelled));
        }
        catch (ArgumentException e)
        {
            // A BCL argument check that the request reached (an invalid value the mapping let through): the caller's mistake.
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
#pragma warning disable CA1031 // The edge of the service: nothing unexpected may escape with its details.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerLog.UnexpectedError(logger, context.Method, e);
            throw new RpcException(new Status(StatusCode.Internal, GrpcMessages.InternalError));
        }
    }
}
