using Cairn.Specification.Tests;

namespace Cairn.Server.Tests;

/// <summary>
/// The conformance suite through the wire: each store is a grpc:// client of its own in-process server on a fresh SQLite
/// file, so every call crosses the proto mapping, the gRPC transport and the status-code mapping both ways.
/// </summary>
public sealed class ServerStoreFactory : ITestStoreFactory
{
    private readonly List<TestServer> _servers = [];

    public async Task<IMetadataStore> OpenFreshStoreAsync()
    {
        var server = await TestServer.StartAsync();
        _servers.Add(server);
        return await server.OpenClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }
}
