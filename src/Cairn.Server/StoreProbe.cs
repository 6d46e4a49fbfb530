using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cairn.Server;

/// <summary>
/// Whether the store answers: one read that always touches the database (the first system type), within five seconds.
/// <c>/readyz</c> and the standard gRPC health service (<c>grpc.health.v1.Health</c>) both ask it.
/// </summary>
internal static class StoreProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Null when the store answered; otherwise why not (logged as a warning).</summary>
    public static async Task<string?> NotReadyReasonAsync(IMetadataStore store, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await store.GetArtifactTypesByIdAsync([1], timeout.Token).ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // Any failure means "not ready"; the probe must answer, not throw.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            var reason = e is OperationCanceledException ? "timed out" : e.Message;
            ServerLog.NotReady(logger, reason, e);
            return reason;
        }
    }
}

/// <summary>The store probe as an ASP.NET Core health check, which the gRPC health service reports.</summary>
internal sealed class StoreHealthCheck(IMetadataStore store, ILogger<StoreHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await StoreProbe.NotReadyReasonAsync(store, logger, cancellationToken).ConfigureAwait(false) is { } reason
            ? HealthCheckResult.Unhealthy(ServerMessages.NotReady(reason))
            : HealthCheckResult.Healthy();
}
