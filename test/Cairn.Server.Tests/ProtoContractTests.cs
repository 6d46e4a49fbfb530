using Google.Protobuf.Reflection;
using Xunit;
using M = Cairn.Grpc.Mlmd;

namespace Cairn.Server.Tests;

/// <summary>The compiled protos carry MLMD's wire identity: file paths, package, service, methods, numbers and proto2 defaults.</summary>
public sealed class ProtoContractTests
{
    private static readonly FileDescriptor Store = M.MetadataStoreReflection.Descriptor;
    private static readonly FileDescriptor Service = M.MetadataStoreServiceReflection.Descriptor;

    [Fact]
    public void Files_package_and_service_are_mlmds()
    {
        Assert.Equal("ml_metadata/proto/metadata_store.proto", Store.Name);
        Assert.Equal("ml_metadata/proto/metadata_store_service.proto", Service.Name);
        Assert.Equal("ml_metadata", Store.Package);
        Assert.Equal("ml_metadata", Service.Package);
        Assert.Contains(Store, Service.Dependencies);
        var service = Assert.Single(Service.Services);
        Assert.Equal("ml_metadata.MetadataStoreService", service.FullName);
        Assert.Equal(52, service.Methods.Count);
        Assert.Equal("PutArtifactType", service.Methods[0].Name);
        Assert.Equal("GetLineageSubgraph", service.Methods[^1].Name);
    }

    [Fact]
    public void Proto2_defaults_are_mlmds()
    {
#pragma warning disable CS0612 // Deprecated fields are part of the contract.
        Assert.Equal(20, new M.ListOperationOptions().MaxResultSize);
        Assert.Equal(M.ListOperationOptions.Types.OrderByField.Types.Field.Id, new M.ListOperationOptions.Types.OrderByField().Field);
        Assert.True(new M.ListOperationOptions.Types.OrderByField().IsAsc);
        Assert.True(new M.PutArtifactTypeRequest().AllFieldsMatch);
        Assert.True(new M.PutTypesRequest().AllFieldsMatch);
        Assert.Equal(-1, new M.MigrationOptions().DowngradeToSchemaVersion);
        Assert.Equal(20, new M.LineageGraphQueryOptions().MaxNodeSize);
        Assert.False(new M.GetArtifactsByIDRequest().PopulateArtifactTypes);
#pragma warning restore CS0612
    }

    [Theory]
    [InlineData("Artifact", "external_id", 11)]
    [InlineData("Artifact", "system_metadata", 12)]
    [InlineData("Execution", "external_id", 10)]
    [InlineData("Context", "name", 3)]
    [InlineData("ExecutionType", "base_type", 8)]
    [InlineData("Value", "bool_value", 6)]
    [InlineData("LineageGraph", "parent_contexts", 10)]
    [InlineData("LineageSubgraphQueryOptions", "ending_executions", 6)]
    [InlineData("GetContextsByTypeRequest", "options", 2)]
    [InlineData("GetContextsByTypeRequest", "type_version", 3)]
    [InlineData("GetArtifactsByIDRequest", "populate_artifact_types", 3)]
    [InlineData("GetLineageSubgraphRequest", "read_mask", 3)]
    public void Field_numbers_are_mlmds(string message, string field, int number)
    {
        var descriptor = Store.MessageTypes.Concat(Service.MessageTypes).Single(m => m.Name == message);
        Assert.Equal(number, descriptor.FindFieldByName(field).FieldNumber);
    }

    [Fact]
    public void The_old_uri_field_of_get_artifacts_by_uri_is_reserved_not_reused()
    {
        var descriptor = M.GetArtifactsByURIRequest.Descriptor;
        Assert.Null(descriptor.FindFieldByNumber(1));
        Assert.Equal(2, descriptor.FindFieldByName("uris").FieldNumber);
    }

    [Fact]
    public void Base_type_values_name_the_mlmd_system_types()
    {
        var extension = M.MetadataStoreExtensions.SystemTypeExtension;
        var model = M.ArtifactType.Descriptor.EnumTypes.Single().FindValueByName("MODEL");
        Assert.Equal("mlmd.Model", model.GetOptions().GetExtension(extension).TypeName);
        var deploy = M.ExecutionType.Descriptor.EnumTypes.Single().FindValueByName("DEPLOY");
        Assert.Equal("mlmd.Deploy", deploy.GetOptions().GetExtension(extension).TypeName);
    }
}
