using Cairn.Grpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;
using M = Cairn.Grpc.Mlmd;

namespace Cairn.Server.Tests;

/// <summary>
/// What only the wire can express: proto2 defaults and presence, MLMD's request-level quirks, status codes as an MLMD client
/// sees them, and the server's own endpoints. Calls go through the generated client, as any MLMD client's would.
/// </summary>
public sealed class WireTests : IAsyncLifetime
{
    private TestServer? _server;
    private GrpcChannel? _channel;

    private TestServer Server => _server!;

    private M.MetadataStoreService.MetadataStoreServiceClient Client => new(_channel!);

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.Handle.GrpcAddress);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    private static Task<T> Bounded<T>(AsyncUnaryCall<T> call) => call.ResponseAsync.WaitAsync(TestServer.Timeout);

    private static async Task<RpcException> FailsAsync<T>(Func<AsyncUnaryCall<T>> call) =>
        await Assert.ThrowsAsync<RpcException>(() => Bounded(call()));

    private async Task<long> PutTypeAsync(string name = "DataSet")
    {
        var type = new M.ArtifactType { Name = name };
        type.Properties["day"] = M.PropertyType.Int;
        return (await Bounded(Client.PutArtifactTypeAsync(new M.PutArtifactTypeRequest { ArtifactType = type }))).TypeId;
    }

    private async Task<IReadOnlyList<long>> PutArtifactsAsync(long typeId, int count)
    {
        var request = new M.PutArtifactsRequest();
        for (var i = 0; i < count; i++) request.Artifacts.Add(new M.Artifact { TypeId = typeId, Uri = "uri" + i });
        return [.. (await Bounded(Client.PutArtifactsAsync(request))).ArtifactIds];
    }

    // ------------------------------------------------------------------ proto2 defaults and presence

    [Fact]
    public async Task Empty_list_options_page_at_twenty_rows_by_id_ascending_as_the_proto2_defaults_say()
    {
        var ids = await PutArtifactsAsync(await PutTypeAsync(), 25);

        var first = await Bounded(Client.GetArtifactsAsync(new M.GetArtifactsRequest { Options = new M.ListOperationOptions() }));
        Assert.Equal(ids.Take(20), first.Artifacts.Select(a => a.Id));
        Assert.NotEmpty(first.NextPageToken);

        var second = await Bounded(Client.GetArtifactsAsync(new M.GetArtifactsRequest
        {
            Options = new M.ListOperationOptions { NextPageToken = first.NextPageToken },
        }));
        Assert.Equal(ids.Skip(20), second.Artifacts.Select(a => a.Id));
        Assert.True(second.HasNextPageToken);
        Assert.Equal(string.Empty, second.NextPageToken);
    }

    [Fact]
    public async Task A_list_without_options_returns_every_row_and_no_page_token()
    {
        var ids = await PutArtifactsAsync(await PutTypeAsync(), 25);

        var all = await Bounded(Client.GetArtifactsAsync(new M.GetArtifactsRequest()));

        Assert.Equal(ids, all.Artifacts.Select(a => a.Id));
        Assert.False(all.HasNextPageToken);
    }

    [Fact]
    public async Task A_page_size_above_one_hundred_is_capped_at_one_hundred_with_a_token()
    {
        var ids = await PutArtifactsAsync(await PutTypeAsync(), 110);

        var page = await Bounded(Client.GetArtifactsAsync(new M.GetArtifactsRequest { Options = new M.ListOperationOptions { MaxResultSize = 102 } }));

        Assert.Equal(ids.Take(100), page.Artifacts.Select(a => a.Id));
        Assert.NotEmpty(page.NextPageToken);
    }

    [Fact]
    public async Task An_artifact_with_id_zero_set_is_an_update_of_a_missing_artifact()
    {
        var typeId = await PutTypeAsync();
        var e = await FailsAsync(() => Client.PutArtifactsAsync(new M.PutArtifactsRequest { Artifacts = { new M.Artifact { Id = 0, TypeId = typeId } } }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(Messages.NodeIdNotFound(NodeKind.Artifact, 0), e.Status.Detail);
    }

    [Fact]
    public async Task Unset_fields_stay_unset_on_the_way_back()
    {
        var typeId = await PutTypeAsync();
        var id = (await PutArtifactsAsync(typeId, 1))[0];

        var stored = Assert.Single((await Bounded(Client.GetArtifactsByIDAsync(new M.GetArtifactsByIDRequest { ArtifactIds = { id } }))).Artifacts);

        Assert.False(stored.HasState);
        Assert.False(stored.HasName);
        Assert.False(stored.HasExternalId);
        Assert.Equal("DataSet", stored.Type);
        Assert.True(stored.CreateTimeSinceEpoch > 1_600_000_000_000);
    }

    [Fact]
    public async Task Struct_and_any_values_round_trip_on_the_wire()
    {
        var typeId = await PutTypeAsync();
        var structValue = Struct.Parser.ParseJson("""{"name": "x", "nested": {"list": [1, "two", true, null]}}""");
        var any = new Any { TypeUrl = "type.googleapis.com/test.Message", Value = ByteString.CopyFrom(1, 2, 3) };
        var artifact = new M.Artifact { TypeId = typeId };
        artifact.CustomProperties["s"] = new M.Value { StructValue = structValue };
        artifact.CustomProperties["p"] = new M.Value { ProtoValue = any };
        artifact.CustomProperties["b"] = new M.Value { BoolValue = true };
        var id = (await Bounded(Client.PutArtifactsAsync(new M.PutArtifactsRequest { Artifacts = { artifact } }))).ArtifactIds[0];

        var stored = Assert.Single((await Bounded(Client.GetArtifactsByIDAsync(new M.GetArtifactsByIDRequest { ArtifactIds = { id } }))).Artifacts);

        Assert.Equal(structValue, stored.CustomProperties["s"].StructValue);
        Assert.Equal(any, stored.CustomProperties["p"].ProtoValue);
        Assert.True(stored.CustomProperties["b"].BoolValue);
    }

    [Fact]
    public async Task A_struct_holding_a_value_without_a_kind_is_an_invalid_argument_naming_the_property()
    {
        var typeId = await PutTypeAsync();
        var broken = new Struct();
        broken.Fields["empty"] = new Google.Protobuf.WellKnownTypes.Value();
        var artifact = new M.Artifact { TypeId = typeId };
        artifact.CustomProperties["config"] = new M.Value { StructValue = broken };

        var e = await FailsAsync(() => Client.PutArtifactsAsync(new M.PutArtifactsRequest { Artifacts = { artifact } }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("'config'", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_artifacts_by_id_populates_their_types_when_asked()
    {
        var typeId = await PutTypeAsync();
        var ids = await PutArtifactsAsync(typeId, 2);

        var without = await Bounded(Client.GetArtifactsByIDAsync(new M.GetArtifactsByIDRequest { ArtifactIds = { ids } }));
        var with = await Bounded(Client.GetArtifactsByIDAsync(new M.GetArtifactsByIDRequest { ArtifactIds = { ids }, PopulateArtifactTypes = true }));

        Assert.Empty(without.ArtifactTypes);
        var type = Assert.Single(with.ArtifactTypes);
        Assert.Equal(typeId, type.Id);
        Assert.Equal(M.PropertyType.Int, type.Properties["day"]);
    }

    // ------------------------------------------------------------------ MLMD's request-level quirks

    [Fact]
    public async Task All_fields_match_false_is_unimplemented_for_single_type_puts_and_put_types()
    {
#pragma warning disable CS0612 // The deprecated flag is exactly what is under test.
        var single = await FailsAsync(() => Client.PutArtifactTypeAsync(new M.PutArtifactTypeRequest
        {
            ArtifactType = new M.ArtifactType { Name = "T" },
            AllFieldsMatch = false,
        }));
        var batch = await FailsAsync(() => Client.PutTypesAsync(new M.PutTypesRequest
        {
            ContextTypes = { new M.ContextType { Name = "C" } },
            AllFieldsMatch = false,
        }));
#pragma warning restore CS0612

        Assert.Equal(StatusCode.Unimplemented, single.StatusCode);
        Assert.Equal(Messages.AllFieldsMatchUnsupported, single.Status.Detail);
        Assert.Equal(StatusCode.Unimplemented, batch.StatusCode);
    }

    [Fact]
    public async Task Get_artifacts_by_uri_with_the_deprecated_singular_uri_field_is_invalid()
    {
        // Field 1 (string) is reserved now; an old client still sends it, and the server sees it as an unknown field.
        var bytes = new byte[] { 0x0a, 0x01, (byte)'x', 0x12, 0x01, (byte)'y' };
        var request = M.GetArtifactsByURIRequest.Parser.ParseFrom(bytes);
        Assert.Equal(["y"], request.Uris);

        var e = await FailsAsync(() => Client.GetArtifactsByURIAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(GrpcMessages.DeprecatedUriField, e.Status.Detail);
        Assert.Contains("deprecated field `uri`", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_artifacts_by_uri_with_only_the_repeated_field_is_answered()
    {
        await PutArtifactsAsync(await PutTypeAsync(), 2);
        var found = await Bounded(Client.GetArtifactsByURIAsync(new M.GetArtifactsByURIRequest { Uris = { "uri1", "uri1", "missing", "" } }));
        Assert.Equal(["uri1"], found.Artifacts.Select(a => a.Uri));
    }

    [Fact]
    public async Task Get_lineage_graph_is_unimplemented_as_in_mlmd_1_15()
    {
#pragma warning disable CS0612, CS0618 // The deprecated method is what is under test.
        var e = await FailsAsync(() => Client.GetLineageGraphAsync(new M.GetLineageGraphRequest()));
#pragma warning restore CS0612, CS0618
        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);
        Assert.Equal("GetLineageGraph is not implemented.", e.Status.Detail);
    }

    [Fact]
    public async Task Get_lineage_subgraph_answers_over_the_wire()
    {
        var typeId = await PutTypeAsync();
        await PutArtifactsAsync(typeId, 1);

        var e = await FailsAsync(() => Client.GetLineageSubgraphAsync(new M.GetLineageSubgraphRequest()));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);

        var graph = await Bounded(Client.GetLineageSubgraphAsync(new M.GetLineageSubgraphRequest
        {
            LineageSubgraphQueryOptions = new M.LineageSubgraphQueryOptions
            {
                StartingArtifacts = new M.LineageSubgraphQueryOptions.Types.StartingNodes { FilterQuery = "uri = 'uri0'" },
                MaxNumHops = 2,
            },
        }));
        Assert.Single(graph.LineageSubgraph.Artifacts);
    }

    // ------------------------------------------------------------------ status codes

    [Fact]
    public async Task Bad_requests_get_mlmds_status_codes_and_the_stores_messages()
    {
        var typeId = await PutTypeAsync();

        var missingType = await FailsAsync(() => Client.GetArtifactTypeAsync(new M.GetArtifactTypeRequest { TypeName = "missing" }));
        Assert.Equal(StatusCode.NotFound, missingType.StatusCode);
        Assert.Equal(Messages.TypeNotFound("missing", null), missingType.Status.Detail);

        var noTypeId = await FailsAsync(() => Client.PutArtifactsAsync(new M.PutArtifactsRequest { Artifacts = { new M.Artifact() } }));
        Assert.Equal(StatusCode.InvalidArgument, noTypeId.StatusCode);

        var changed = new M.ArtifactType { Name = "DataSet" };
        changed.Properties["day"] = M.PropertyType.String;
        var incompatible = await FailsAsync(() => Client.PutArtifactTypeAsync(new M.PutArtifactTypeRequest { ArtifactType = changed, CanAddFields = true }));
        Assert.Equal(StatusCode.AlreadyExists, incompatible.StatusCode);

        var zeroPage = await FailsAsync(() => Client.GetArtifactsAsync(new M.GetArtifactsRequest { Options = new M.ListOperationOptions { MaxResultSize = 0 } }));
        Assert.Equal(StatusCode.InvalidArgument, zeroPage.StatusCode);
        Assert.Equal(Messages.MaxResultSizeInvalid(0), zeroPage.Status.Detail);

        var garbageToken = await FailsAsync(() => Client.GetArtifactsAsync(new M.GetArtifactsRequest { Options = new M.ListOperationOptions { NextPageToken = "garbage!" } }));
        Assert.Equal(StatusCode.InvalidArgument, garbageToken.StatusCode);

        var badFilter = await FailsAsync(() => Client.GetArtifactsAsync(new M.GetArtifactsRequest { Options = new M.ListOperationOptions { FilterQuery = "invalid syntax" } }));
        Assert.Equal(StatusCode.InvalidArgument, badFilter.StatusCode);

        var artifactId = (await PutArtifactsAsync(typeId, 1))[0];
        var noContexts = await FailsAsync(() => Client.GetContextsByArtifactAsync(new M.GetContextsByArtifactRequest { ArtifactId = artifactId }));
        Assert.Equal(StatusCode.NotFound, noContexts.StatusCode);

        var outOfRange = await FailsAsync(() => Client.PutLineageSubgraphAsync(new M.PutLineageSubgraphRequest
        {
            EventEdges = { new M.PutLineageSubgraphRequest.Types.EventEdge { ExecutionIndex = 0, ArtifactIndex = 0, Event = new M.Event { Type = M.Event.Types.Type.Input } } },
        }));
        Assert.Equal(StatusCode.OutOfRange, outOfRange.StatusCode);

        var noExecution = await FailsAsync(() => Client.PutExecutionAsync(new M.PutExecutionRequest()));
        Assert.Equal(StatusCode.InvalidArgument, noExecution.StatusCode);
        Assert.Equal(Messages.PutExecutionNoExecution, noExecution.Status.Detail);
    }

    [Fact]
    public async Task The_same_errors_reach_a_grpc_store_as_the_same_exceptions()
    {
        await using var store = await Server.OpenClientAsync();
        var e = await Assert.ThrowsAsync<NotFoundException>(() => store.GetArtifactTypeAsync("missing").WaitAsync(TestServer.Timeout));
        Assert.Equal(Messages.TypeNotFound("missing", null), e.Message);
    }

    [Fact]
    public async Task Messages_above_grpcs_usual_four_megabytes_are_accepted_by_default()
    {
        var typeId = await PutTypeAsync();
        var artifact = new M.Artifact { TypeId = typeId };
        artifact.CustomProperties["big"] = new M.Value { StringValue = new string('x', 5 * 1024 * 1024) };
        using var channel = GrpcChannel.ForAddress(Server.Handle.GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        var client = new M.MetadataStoreService.MetadataStoreServiceClient(channel);

        var id = (await Bounded(client.PutArtifactsAsync(new M.PutArtifactsRequest { Artifacts = { artifact } }))).ArtifactIds[0];
        var stored = Assert.Single((await Bounded(client.GetArtifactsByIDAsync(new M.GetArtifactsByIDRequest { ArtifactIds = { id } }))).Artifacts);

        Assert.Equal(5 * 1024 * 1024, stored.CustomProperties["big"].StringValue.Length);
    }

    [Fact]
    public async Task A_message_above_the_configured_limit_is_refused_and_the_server_keeps_serving()
    {
        await using var small = await TestServer.StartAsync(o => o with { MaxMessageMegabytes = 1 });
        using var channel = GrpcChannel.ForAddress(small.Handle.GrpcAddress, new GrpcChannelOptions { MaxSendMessageSize = null });
        var client = new M.MetadataStoreService.MetadataStoreServiceClient(channel);
        var artifact = new M.Artifact { TypeId = 1 };
        artifact.CustomProperties["big"] = new M.Value { StringValue = new string('x', 2 * 1024 * 1024) };

        var e = await Assert.ThrowsAsync<RpcException>(() => Bounded(client.PutArtifactsAsync(new M.PutArtifactsRequest { Artifacts = { artifact } })));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Empty((await Bounded(client.GetArtifactTypesAsync(new M.GetArtifactTypesRequest()))).ArtifactTypes);
    }

    [Fact]
    public async Task An_unexpected_failure_is_internal_with_a_generic_message_and_the_details_in_the_log()
    {
        await using var inner = await CairnStore.OpenAsync("memory:").WaitAsync(TestServer.Timeout);
        var broken = FailingStore.Wrap(inner, new InvalidOperationException("secret detail"));
        await using var server = await TestServer.StartAsync(o => o with { Store = broken });
        server.Log.ExpectError = m => m.Contains("secret detail", StringComparison.Ordinal);
        using var channel = GrpcChannel.ForAddress(server.Handle.GrpcAddress);
        var client = new M.MetadataStoreService.MetadataStoreServiceClient(channel);

        var e = await Assert.ThrowsAsync<RpcException>(() => Bounded(client.GetContextTypesAsync(new M.GetContextTypesRequest())));

        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Equal(GrpcMessages.InternalError, e.Status.Detail);
        Assert.Contains(server.Log.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.Contains("secret detail", StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ the server itself

    [Fact]
    public async Task The_access_log_has_one_line_per_request_with_its_outcome_and_only_when_asked()
    {
        await using var server = await TestServer.StartAsync(o => o with { AccessLog = true });
        using var channel = GrpcChannel.ForAddress(server.Handle.GrpcAddress);
        var client = new M.MetadataStoreService.MetadataStoreServiceClient(channel);
        using var http = new HttpClient { BaseAddress = new Uri(server.Handle.ClientHttpAddress), Timeout = TestServer.Timeout };

        var put = await Bounded(client.PutArtifactTypeAsync(new M.PutArtifactTypeRequest { ArtifactType = new M.ArtifactType { Name = "T" } }));
        var missing = await Assert.ThrowsAsync<RpcException>(() => Bounded(client.GetArtifactTypeAsync(new M.GetArtifactTypeRequest { TypeName = "Nope" })));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/v1/artifacts?page_size=1", UriKind.Relative))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"/api/v1/artifact_types/{put.TypeId + 100}", UriKind.Relative))).StatusCode);

        // A line is written when its request has finished, which can be just after the client has its answer.
        // (and so, in principle, just after the next request's line).
        var lines = await AccessLinesAsync(server, 4);
        Assert.Equal(4, lines.Count);
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^127\.0\.0\.1 gRPC /ml_metadata\.MetadataStoreService/PutArtifactType OK \d+\.\d ms$"));
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^127\.0\.0\.1 gRPC /ml_metadata\.MetadataStoreService/GetArtifactType NotFound \d+\.\d ms$"));
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^127\.0\.0\.1 GET /api/v1/artifacts\?page_size=1 200 \d+\.\d ms$"));
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^127\.0\.0\.1 GET /api/v1/artifact_types/{put.TypeId + 100} 404 \d+\.\d ms$"));

        // Off by default: the shared server logs no request lines.
        await Bounded(Client.GetArtifactTypesAsync(new M.GetArtifactTypesRequest()));
        Assert.DoesNotContain(Server.Log.Entries, e => e.Category == typeof(AccessLog).FullName);
    }

    private static async Task<List<string>> AccessLinesAsync(TestServer server, int count)
    {
        var deadline = DateTime.UtcNow + TestServer.Timeout;
        while (true)
        {
            var lines = server.Log.Entries.Where(e => e.Category == typeof(AccessLog).FullName).Select(e => e.Message).ToList();
            if (lines.Count >= count || DateTime.UtcNow > deadline) return lines;
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Health_and_readiness_answer_on_the_http_port()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Server.Handle.ClientHttpAddress), Timeout = TestServer.Timeout };

        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_fails_while_the_store_does_not_answer()
    {
        await using var inner = await CairnStore.OpenAsync("memory:").WaitAsync(TestServer.Timeout);
        await using var server = await TestServer.StartAsync(o => o with { Store = FailingStore.Wrap(inner, new StoreUnavailableException("disk gone")) });
        using var http = new HttpClient { BaseAddress = new Uri(server.Handle.ClientHttpAddress), Timeout = TestServer.Timeout };

        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("disk gone", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The gRPC health service says the same, for the server and for MLMD's service.
        using var channel = GrpcChannel.ForAddress(server.Handle.GrpcAddress);
        var grpcHealth = new global::Grpc.Health.V1.Health.HealthClient(channel);
        foreach (var service in new[] { string.Empty, "ml_metadata.MetadataStoreService" })
        {
            var answer = await Bounded(grpcHealth.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest { Service = service }));
            Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.NotServing, answer.Status);
        }
    }

    [Fact]
    public async Task The_grpc_health_service_reports_serving_and_reflection_lists_the_services()
    {
        var health = new global::Grpc.Health.V1.Health.HealthClient(_channel!);
        foreach (var service in new[] { string.Empty, "ml_metadata.MetadataStoreService" })
        {
            var answer = await Bounded(health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest { Service = service }));
            Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
        }

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Bounded(health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest { Service = "no.such.Service" })));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        // What grpcurl's "list" asks.
        var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(_channel!);
        using var call = reflection.ServerReflectionInfo(cancellationToken: new CancellationTokenSource(TestServer.Timeout).Token);
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var listed = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("ml_metadata.MetadataStoreService", listed);
        Assert.Contains("grpc.health.v1.Health", listed);

        // And what "describe" needs: the file that defines MLMD's service, by the service's name.
        using var describe = reflection.ServerReflectionInfo(cancellationToken: new CancellationTokenSource(TestServer.Timeout).Token);
        await describe.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { FileContainingSymbol = "ml_metadata.MetadataStoreService" });
        await describe.RequestStream.CompleteAsync();
        Assert.True(await describe.ResponseStream.MoveNext(CancellationToken.None));
        var files = describe.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        Assert.Contains(files, f => f.Name == "ml_metadata/proto/metadata_store_service.proto" && f.Service.Any(s => s.Name == "MetadataStoreService"));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.10")]
    public async Task A_non_loopback_bind_is_refused_without_allow_remote(string bind)
    {
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            TestServer.StartAsync(o => o with { Bind = bind }));
        Assert.Equal(ServerMessages.RemoteBindRefused(bind), e.Message);
    }

    [Fact]
    public async Task A_non_loopback_bind_is_served_with_allow_remote()
    {
        await using var server = await TestServer.StartAsync(o => o with { Bind = "0.0.0.0", AllowRemote = true });
        Assert.Equal("grpc://127.0.0.1:" + server.Handle.GrpcPort, server.Handle.ClientStoreUri);
        await using var store = await server.OpenClientAsync();
        Assert.Empty(await store.GetArtifactTypesAsync().WaitAsync(TestServer.Timeout));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("::1")]
    public async Task Loopback_names_and_ipv6_loopback_are_served(string bind)
    {
        await using var server = await TestServer.StartAsync(o => o with { Bind = bind });
        await using var store = await server.OpenClientAsync();
        Assert.Empty(await store.GetArtifactTypesAsync().WaitAsync(TestServer.Timeout));
    }

    [Fact]
    public async Task Bad_server_options_are_refused_before_anything_starts()
    {
        Assert.Equal(ServerMessages.BindNotAnAddress("example.com"),
            Assert.Throws<InvalidArgumentException>(() => new ServerOptions { Bind = "example.com" }.Validate()).Message);
        Assert.Equal(ServerMessages.PortsEqual(9000),
            Assert.Throws<InvalidArgumentException>(() => new ServerOptions { GrpcPort = 9000, HttpPort = 9000 }.Validate()).Message);
        Assert.Equal(ServerMessages.MessageSizeOutOfRange(0),
            Assert.Throws<InvalidArgumentException>(() => new ServerOptions { MaxMessageMegabytes = 0 }.Validate()).Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_port_in_use_is_reported_as_unavailable()
    {
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            TestServer.StartAsync(o => o with { GrpcPort = Server.Handle.GrpcPort }));
        Assert.StartsWith(ServerMessages.CannotListen("127.0.0.1", string.Empty).Split(':')[0], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_lets_a_call_in_flight_finish_then_refuses_new_ones()
    {
        await using var server = await TestServer.StartAsync();
        await using var store = await server.OpenClientAsync();
        var typeId = await store.PutArtifactTypeAsync(new ArtifactType { Name = "T" }).WaitAsync(TestServer.Timeout);
        var batch = Enumerable.Range(0, 2000).Select(i => new Artifact { TypeId = typeId, Uri = "u" + i }).ToList();

        var inFlight = store.PutArtifactsAsync(batch);
        await Task.Delay(20);
        await server.Handle.StopAsync().WaitAsync(TestServer.Timeout);
        await server.Handle.Completion.WaitAsync(TestServer.Timeout);

        // Either the call finished before the stop, or it never started: nothing is half written.
        var ids = await inFlight.WaitAsync(TestServer.Timeout).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Count : 0, TaskScheduler.Default);
        Assert.True(ids is 0 or 2000);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetArtifactTypesAsync().WaitAsync(TestServer.Timeout));
    }

    [Fact]
    public async Task A_grpc_store_pointed_at_the_http_port_says_to_use_the_grpc_port()
    {
        var uri = "grpc://127.0.0.1:" + Server.Handle.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
        {
            await using var store = await CairnStore.OpenAsync(uri).WaitAsync(TestServer.Timeout);
            await store.GetArtifactTypesAsync().WaitAsync(TestServer.Timeout);
        });
        Assert.Equal(GrpcMessages.NotGrpc(uri), e.Message);
    }

    [Fact]
    public async Task A_grpc_store_at_an_address_where_nothing_listens_is_unavailable_with_a_clear_message()
    {
        var port = Server.Handle.HttpPort; // speaks HTTP/1.1 only: no gRPC server there
        await Server.Handle.StopAsync().WaitAsync(TestServer.Timeout);
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => CairnStore.OpenAsync("grpc://127.0.0.1:" + port).WaitAsync(TestServer.Timeout));
        Assert.StartsWith("Cannot reach the Cairn server at 'grpc://127.0.0.1:" + port + "'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grpc://")]
    [InlineData("grpc://host:8080/path")]
    [InlineData("grpc://host:8080?colour=red")]
    public async Task A_malformed_grpc_uri_is_invalid(string uri) =>
        await Assert.ThrowsAsync<InvalidArgumentException>(() => CairnStore.OpenAsync(uri).WaitAsync(TestServer.Timeout));
}
