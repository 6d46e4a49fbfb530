using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Node create and update: validation, uniqueness, full and masked updates, timestamps (mlmd.md §4.2, §4.3; §8 items 17–28).</summary>
public abstract class NodeWriteTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    // ------------------------------------------------------------------ item 17: create and read back

    [SkippableFact]
    public async Task Put_artifact_stores_properties_and_reads_back_type_name_and_millisecond_timestamps()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var before = NowMilliseconds();
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Name = "my_artifact",
            Uri = "/data/my_artifact",
            State = ArtifactState.Live,
            ExternalId = "artifact_ext",
            Properties = Values(("foo", MetadataValue.Int(3)), ("bar", MetadataValue.String("Hello"))),
            CustomProperties = Values(("custom", MetadataValue.Double(1.5))),
        });
        var after = NowMilliseconds();

        Assert.True(id > 0);
        var stored = await ReadArtifactAsync(id);
        Assert.Equal(id, stored.Id);
        Assert.Equal(typeId, stored.TypeId);
        Assert.Equal(ArtifactTypeName, stored.Type);
        Assert.Equal("my_artifact", stored.Name);
        Assert.Equal("/data/my_artifact", stored.Uri);
        Assert.Equal(ArtifactState.Live, stored.State);
        Assert.Equal("artifact_ext", stored.ExternalId);
        AssertValues(Values(("foo", MetadataValue.Int(3)), ("bar", MetadataValue.String("Hello"))), stored.Properties);
        AssertValues(Values(("custom", MetadataValue.Double(1.5))), stored.CustomProperties);
        AssertMillisecondsBetween(before, stored.CreateTimeSinceEpoch, after);
        Assert.Equal(stored.CreateTimeSinceEpoch, stored.LastUpdateTimeSinceEpoch);
    }

    [SkippableFact]
    public async Task Put_execution_stores_its_fields_and_reads_back_type_name_and_millisecond_timestamps()
    {
        var typeId = await PutExampleExecutionTypeAsync();
        var before = NowMilliseconds();
        var id = await PutExecutionAsync(new Execution
        {
            TypeId = typeId,
            Name = "my_execution",
            LastKnownState = ExecutionState.Running,
            ExternalId = "execution_ext",
            Properties = Values(("foo", MetadataValue.Int(3)), ("baz", MetadataValue.Double(2.25))),
            CustomProperties = Values(("flag", MetadataValue.Bool(true))),
        });
        var after = NowMilliseconds();

        var stored = await ReadExecutionAsync(id);
        Assert.Equal(typeId, stored.TypeId);
        Assert.Equal(ExecutionTypeName, stored.Type);
        Assert.Equal("my_execution", stored.Name);
        Assert.Equal(ExecutionState.Running, stored.LastKnownState);
        Assert.Equal("execution_ext", stored.ExternalId);
        AssertValues(Values(("foo", MetadataValue.Int(3)), ("baz", MetadataValue.Double(2.25))), stored.Properties);
        AssertValues(Values(("flag", MetadataValue.Bool(true))), stored.CustomProperties);
        AssertMillisecondsBetween(before, stored.CreateTimeSinceEpoch, after);
        AssertMillisecondsBetween(before, stored.LastUpdateTimeSinceEpoch, after);
    }

    [SkippableFact]
    public async Task Put_context_stores_its_fields_and_reads_back_type_name_and_millisecond_timestamps()
    {
        var typeId = await PutExampleContextTypeAsync();
        var before = NowMilliseconds();
        var id = await PutContextAsync(new Context
        {
            TypeId = typeId,
            Name = "my_context",
            ExternalId = "context_ext",
            Properties = Values(("bar", MetadataValue.String("run"))),
            CustomProperties = Values(("n", MetadataValue.Int(-7))),
        });
        var after = NowMilliseconds();

        var stored = await ReadContextAsync(id);
        Assert.Equal(typeId, stored.TypeId);
        Assert.Equal(ContextTypeName, stored.Type);
        Assert.Equal("my_context", stored.Name);
        Assert.Equal("context_ext", stored.ExternalId);
        AssertValues(Values(("bar", MetadataValue.String("run"))), stored.Properties);
        AssertValues(Values(("n", MetadataValue.Int(-7))), stored.CustomProperties);
        AssertMillisecondsBetween(before, stored.CreateTimeSinceEpoch, after);
        AssertMillisecondsBetween(before, stored.LastUpdateTimeSinceEpoch, after);
    }

    [SkippableFact]
    public async Task Client_supplied_timestamps_are_ignored_on_create()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var before = NowMilliseconds();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, CreateTimeSinceEpoch = 5, LastUpdateTimeSinceEpoch = 6 });
        var after = NowMilliseconds();

        var stored = await ReadArtifactAsync(id);
        AssertMillisecondsBetween(before, stored.CreateTimeSinceEpoch, after);
        AssertMillisecondsBetween(before, stored.LastUpdateTimeSinceEpoch, after);
    }

    [SkippableFact]
    public async Task Every_value_kind_round_trips_as_a_property_and_as_a_custom_property()
    {
        var declared = Declare(
            ("i", PropertyType.Int), ("d", PropertyType.Double), ("s", PropertyType.String),
            ("st", PropertyType.Struct), ("p", PropertyType.Proto), ("b", PropertyType.Boolean));
        var typeId = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "all_kinds", Properties = declared });
        const string json = """{"name":"struct value","nested":{"flag":true,"list":["a","b"]}}""";
        byte[] protoBytes = [0x0a, 0x03, 0x61, 0x62, 0x63];
        var values = Values(
            ("i", MetadataValue.Int(long.MaxValue)),
            ("d", MetadataValue.Double(-0.125)),
            ("s", MetadataValue.String("text with 'quotes' and ünïcode")),
            ("st", MetadataValue.Struct(json)),
            ("p", MetadataValue.Proto("type.googleapis.com/test.Message", protoBytes)),
            ("b", MetadataValue.Bool(false)));

        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Properties = values, CustomProperties = values });

        var stored = await ReadArtifactAsync(id);
        foreach (var map in new[] { stored.Properties, stored.CustomProperties })
        {
            Assert.Equal(6, map.Count);
            Assert.Equal(long.MaxValue, map["i"].IntValue);
            Assert.Equal(-0.125, map["d"].DoubleValue);
            Assert.Equal("text with 'quotes' and ünïcode", map["s"].StringValue);
            Assert.Equal(ValueKind.Struct, map["st"].Kind);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(map["st"].StructJson)), map["st"].StructJson);
            Assert.Equal("type.googleapis.com/test.Message", map["p"].ProtoTypeUrl);
            Assert.Equal(protoBytes, map["p"].ProtoBytes.ToArray());
            Assert.False(map["b"].BoolValue);
        }
    }

    [SkippableFact]
    public async Task Extreme_double_values_round_trip()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var values = Values(
            ("max", MetadataValue.Double(double.MaxValue)), ("min", MetadataValue.Double(double.MinValue)),
            ("epsilon", MetadataValue.Double(double.Epsilon)), ("inf", MetadataValue.Double(double.PositiveInfinity)),
            ("-inf", MetadataValue.Double(double.NegativeInfinity)));

        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, CustomProperties = values });

        var stored = (await ReadArtifactAsync(id)).CustomProperties;
        Assert.Equal(double.MaxValue, stored["max"].DoubleValue);
        Assert.Equal(double.MinValue, stored["min"].DoubleValue);
        Assert.Equal(double.Epsilon, stored["epsilon"].DoubleValue);
        Assert.Equal(double.PositiveInfinity, stored["inf"].DoubleValue);
        Assert.Equal(double.NegativeInfinity, stored["-inf"].DoubleValue);
    }

    [SkippableFact]
    public async Task A_nan_double_value_round_trips()
    {
        // MLMD's Value.double_value is a proto double, so NaN is a valid value that MLMD accepts.
        var typeId = await PutExampleArtifactTypeAsync();

        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Properties = Values(("baz", MetadataValue.Double(double.NaN))) });

        Assert.True(double.IsNaN((await ReadArtifactAsync(id)).Properties["baz"].DoubleValue));
    }

    // ------------------------------------------------------------------ item 18: property validation

    [SkippableFact]
    public async Task Put_artifact_with_unknown_property_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Properties = Values(("unknown", MetadataValue.Int(1))) }]));

        Assert.Contains(Messages.NodeUnknownProperty("unknown", ArtifactTypeName), e.Message);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Put_execution_and_context_with_unknown_property_are_rejected()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var contextTypeId = await PutExampleContextTypeAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionsAsync(
            [new Execution { TypeId = executionTypeId, Properties = Values(("unknown", MetadataValue.Int(1))) }]));
        Assert.Contains(Messages.NodeUnknownProperty("unknown", ExecutionTypeName), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutContextsAsync(
            [new Context { TypeId = contextTypeId, Name = "c", Properties = Values(("unknown", MetadataValue.Int(1))) }]));
        Assert.Contains(Messages.NodeUnknownProperty("unknown", ContextTypeName), e.Message);

        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task Put_artifact_with_a_value_of_the_wrong_kind_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Properties = Values(("foo", MetadataValue.String("three"))) }]));

        Assert.Contains(Messages.NodeUnmatchedPropertyType("foo", PropertyType.Int, ValueKind.String), e.Message);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Put_artifact_with_an_empty_property_value_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Properties = Values(("foo", MetadataValue.None)) }]));

        Assert.Contains(Messages.NodeUnmatchedPropertyType("foo", PropertyType.Int, ValueKind.None), e.Message);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Custom_properties_are_not_checked_against_the_type()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, CustomProperties = Values(("foo", MetadataValue.String("not an int"))) });

        Assert.Equal("not an int", (await ReadArtifactAsync(id)).CustomProperties["foo"].StringValue);
    }

    // ------------------------------------------------------------------ item 19: type id

    [SkippableFact]
    public async Task Put_nodes_without_a_type_id_are_rejected()
    {
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync([new Artifact { Uri = "u" }]));
        Assert.Contains(Prefix(Messages.NodeTypeIdMissing(NodeKind.Artifact, 0), "#"), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionsAsync([new Execution()]));
        Assert.Contains(Prefix(Messages.NodeTypeIdMissing(NodeKind.Execution, 0), "#"), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutContextsAsync([new Context { Name = "c" }]));
        Assert.Contains(Prefix(Messages.NodeTypeIdMissing(NodeKind.Context, 0), "#"), e.Message);

        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task Put_artifact_with_an_unknown_type_id_is_not_found()
    {
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.PutArtifactsAsync([new Artifact { TypeId = 12345 }]));

        Assert.Contains(Messages.TypeIdNotFound(12345, NodeKind.Artifact), e.Message);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Put_node_with_the_type_id_of_another_kind_is_not_found()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var artifactTypeId = await PutExampleArtifactTypeAsync();

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.PutArtifactsAsync([new Artifact { TypeId = executionTypeId }]));
        Assert.Contains(Messages.TypeIdNotFound(executionTypeId, NodeKind.Artifact), e.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.PutExecutionsAsync([new Execution { TypeId = artifactTypeId }]));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.PutContextsAsync([new Context { TypeId = artifactTypeId, Name = "c" }]));

        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    // ------------------------------------------------------------------ items 20–21: uniqueness

    [SkippableFact]
    public async Task Two_artifacts_with_the_same_type_and_name_in_one_put_store_nothing()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Name = "same" }, new Artifact { TypeId = typeId, Name = "same" }]));

        Assert.Contains(Messages.NodeAlreadyExists(NodeKind.Artifact, ""), e.Message);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task An_artifact_name_already_stored_for_the_type_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "same" });

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactsAsync([new Artifact { TypeId = typeId, Name = "same", Uri = "other" }]));

        Assert.Single(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Artifacts_of_different_types_may_share_a_name()
    {
        var t1 = await PutExampleArtifactTypeAsync("t1");
        var t2 = await PutExampleArtifactTypeAsync("t2");

        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = t1, Name = "same" }, new Artifact { TypeId = t2, Name = "same" }]);

        Assert.Equal(2, ids.Distinct().Count());
        Assert.Equal(2, (await AllArtifactsAsync()).Count);
    }

    [SkippableFact]
    public async Task Executions_with_the_same_type_and_name_are_rejected()
    {
        var typeId = await PutExampleExecutionTypeAsync();

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutExecutionsAsync(
            [new Execution { TypeId = typeId, Name = "same" }, new Execution { TypeId = typeId, Name = "same" }]));

        Assert.Contains(Messages.NodeAlreadyExists(NodeKind.Execution, ""), e.Message);
        Assert.Empty(await AllExecutionsAsync());
    }

    [SkippableFact]
    public async Task Nodes_without_names_do_not_conflict()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var executionTypeId = await PutExampleExecutionTypeAsync();

        Assert.Equal(3, (await Store.PutArtifactsAsync([new Artifact { TypeId = typeId }, new Artifact { TypeId = typeId }, new Artifact { TypeId = typeId }])).Distinct().Count());
        Assert.Equal(2, (await Store.PutExecutionsAsync([new Execution { TypeId = executionTypeId }, new Execution { TypeId = executionTypeId }])).Distinct().Count());
    }

    [SkippableFact]
    public async Task Two_artifacts_with_the_same_external_id_are_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, ExternalId = "ext" }, new Artifact { TypeId = typeId, ExternalId = "ext" }]));
        Assert.Contains(Messages.NodeAlreadyExists(NodeKind.Artifact, ""), e.Message);
        Assert.Empty(await AllArtifactsAsync());

        await PutArtifactAsync(new Artifact { TypeId = typeId, ExternalId = "ext" });
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactsAsync([new Artifact { TypeId = typeId, ExternalId = "ext" }]));
        Assert.Single(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Execution_and_context_external_ids_are_unique_per_kind()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var contextTypeId = await PutExampleContextTypeAsync();
        var artifactTypeId = await PutExampleArtifactTypeAsync();
        await PutExecutionAsync(new Execution { TypeId = executionTypeId, ExternalId = "ext" });
        await PutContextAsync(new Context { TypeId = contextTypeId, Name = "c1", ExternalId = "ext" });
        await PutArtifactAsync(new Artifact { TypeId = artifactTypeId, ExternalId = "ext" });

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutExecutionsAsync([new Execution { TypeId = executionTypeId, ExternalId = "ext" }]));
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutContextsAsync([new Context { TypeId = contextTypeId, Name = "c2", ExternalId = "ext" }]));

        Assert.Single(await AllExecutionsAsync());
        Assert.Single(await AllContextsAsync());
        Assert.Single(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task An_update_to_an_external_id_in_use_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = typeId, ExternalId = "taken" }, new Artifact { TypeId = typeId, ExternalId = "mine", Uri = "u" }]);

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactsAsync([new Artifact { Id = ids[1], ExternalId = "taken", Uri = "changed" }]));

        Assert.Contains(Messages.NodeAlreadyExists(NodeKind.Artifact, ""), e.Message);
        var stored = await ReadArtifactAsync(ids[1]);
        Assert.Equal("mine", stored.ExternalId);
        Assert.Equal("u", stored.Uri);
    }

    [SkippableFact]
    public async Task An_empty_node_external_id_is_treated_as_unset()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = typeId, ExternalId = "" }, new Artifact { TypeId = typeId, ExternalId = "" }]);

        Assert.Equal(2, ids.Distinct().Count());
        Assert.True(string.IsNullOrEmpty((await ReadArtifactAsync(ids[0])).ExternalId));
    }

    // ------------------------------------------------------------------ item 22: invalid updates

    [SkippableFact]
    public async Task Updating_an_artifact_with_an_unknown_id_is_an_invalid_argument()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Uri = "new" }, new Artifact { Id = 1000, TypeId = typeId }]));

        Assert.Contains(Messages.NodeIdNotFound(NodeKind.Artifact, 1000), e.Message);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Updating_an_execution_or_context_with_an_unknown_id_is_an_invalid_argument()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var contextTypeId = await PutExampleContextTypeAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionsAsync([new Execution { Id = 1000, TypeId = executionTypeId }]));
        Assert.Contains(Messages.NodeIdNotFound(NodeKind.Execution, 1000), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutContextsAsync([new Context { Id = 1000, TypeId = contextTypeId, Name = "c" }]));
        Assert.Contains(Messages.NodeIdNotFound(NodeKind.Context, 1000), e.Message);

        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task Updating_an_artifact_with_a_different_type_id_is_an_invalid_argument()
    {
        var typeId = await PutExampleArtifactTypeAsync("t1");
        var otherTypeId = await PutExampleArtifactTypeAsync("t2");
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Uri = "before" });

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync([new Artifact { Id = id, TypeId = otherTypeId, Uri = "after" }]));

        Assert.Contains(Messages.NodeTypeIdChanged(NodeKind.Artifact, id, typeId, otherTypeId), e.Message);
        var stored = await ReadArtifactAsync(id);
        Assert.Equal(typeId, stored.TypeId);
        Assert.Equal("before", stored.Uri);
    }

    // ------------------------------------------------------------------ item 23: unmasked update = full replace

    [SkippableFact]
    public async Task Unmasked_artifact_update_replaces_every_mutable_field_and_keeps_the_type()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Name = "kept_name",
            Uri = "testuri",
            State = ArtifactState.Live,
            ExternalId = "ext",
            Properties = Values(("foo", MetadataValue.Int(3)), ("bar", MetadataValue.String("Hello"))),
            CustomProperties = Values(("hello", MetadataValue.String("world"))),
        });
        var created = await ReadArtifactAsync(id);

        var updated = await Store.PutArtifactsAsync([new Artifact { Id = id }]);

        Assert.Equal(id, Assert.Single(updated));
        var stored = await ReadArtifactAsync(id);
        Assert.Equal(typeId, stored.TypeId);
        Assert.Equal(ArtifactTypeName, stored.Type);
        Assert.Equal("kept_name", stored.Name);
        Assert.True(string.IsNullOrEmpty(stored.Uri));
        Assert.Null(stored.State);
        Assert.True(string.IsNullOrEmpty(stored.ExternalId));
        Assert.Empty(stored.Properties);
        Assert.Empty(stored.CustomProperties);
        Assert.Equal(created.CreateTimeSinceEpoch, stored.CreateTimeSinceEpoch);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactsByExternalIdsAsync(["ext"]));
    }

    [SkippableFact]
    public async Task Unmasked_execution_update_replaces_state_external_id_and_properties()
    {
        var typeId = await PutExampleExecutionTypeAsync();
        var id = await PutExecutionAsync(new Execution
        {
            TypeId = typeId,
            Name = "kept_name",
            LastKnownState = ExecutionState.Running,
            ExternalId = "ext",
            Properties = Values(("foo", MetadataValue.Int(3))),
            CustomProperties = Values(("hello", MetadataValue.String("world"))),
        });

        await Store.PutExecutionsAsync([new Execution { Id = id, Properties = Values(("bar", MetadataValue.String("new"))) }]);

        var stored = await ReadExecutionAsync(id);
        Assert.Equal(typeId, stored.TypeId);
        Assert.Equal("kept_name", stored.Name);
        Assert.Null(stored.LastKnownState);
        Assert.True(string.IsNullOrEmpty(stored.ExternalId));
        AssertValues(Values(("bar", MetadataValue.String("new"))), stored.Properties);
        Assert.Empty(stored.CustomProperties);
    }

    [SkippableFact]
    public async Task Unmasked_context_update_replaces_name_external_id_and_properties()
    {
        var typeId = await PutExampleContextTypeAsync();
        var id = await PutContextAsync(new Context
        {
            TypeId = typeId,
            Name = "old_name",
            ExternalId = "ext",
            Properties = Values(("foo", MetadataValue.Int(3))),
            CustomProperties = Values(("hello", MetadataValue.String("world"))),
        });

        await Store.PutContextsAsync([new Context { Id = id, TypeId = typeId, Name = "new_name", CustomProperties = Values(("other", MetadataValue.Int(1))) }]);

        var stored = await ReadContextAsync(id);
        Assert.Equal("new_name", stored.Name);
        Assert.True(string.IsNullOrEmpty(stored.ExternalId));
        Assert.Empty(stored.Properties);
        AssertValues(Values(("other", MetadataValue.Int(1))), stored.CustomProperties);
        Assert.Equal(id, (await Store.GetContextByTypeAndNameAsync(ContextTypeName, "new_name"))?.Id);
        Assert.Null(await Store.GetContextByTypeAndNameAsync(ContextTypeName, "old_name"));
    }

    [SkippableFact]
    public async Task Artifact_and_execution_names_do_not_change_on_update()
    {
        var artifactTypeId = await PutExampleArtifactTypeAsync();
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var artifactId = await PutArtifactAsync(new Artifact { TypeId = artifactTypeId, Name = "original" });
        var executionId = await PutExecutionAsync(new Execution { TypeId = executionTypeId, Name = "original" });

        await Store.PutArtifactsAsync([new Artifact { Id = artifactId, TypeId = artifactTypeId, Name = "renamed", Uri = "u" }]);
        await Store.PutExecutionsAsync([new Execution { Id = executionId, TypeId = executionTypeId, Name = "renamed", LastKnownState = ExecutionState.Complete }]);
        await Store.PutArtifactsAsync([new Artifact { Id = artifactId, Name = "renamed_masked" }], new PutNodesOptions { UpdateMask = ["name"] });

        var artifact = await ReadArtifactAsync(artifactId);
        Assert.Equal("original", artifact.Name);
        Assert.Equal("u", artifact.Uri);
        var execution = await ReadExecutionAsync(executionId);
        Assert.Equal("original", execution.Name);
        Assert.Equal(ExecutionState.Complete, execution.LastKnownState);
        Assert.Null(await Store.GetArtifactByTypeAndNameAsync(ArtifactTypeName, "renamed"));
    }

    [SkippableFact]
    public async Task Last_update_time_moves_only_when_an_update_changes_something()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        Artifact Version(string uri) => new()
        {
            TypeId = typeId,
            Uri = uri,
            Properties = Values(("foo", MetadataValue.Int(1))),
            CustomProperties = Values(("c", MetadataValue.String("x"))),
        };
        var id = await PutArtifactAsync(Version("same"));
        var created = await ReadArtifactAsync(id);

        await ClockTickAsync();
        await Store.PutArtifactsAsync([Version("same") with { Id = id }]);
        var unchanged = await ReadArtifactAsync(id);
        Assert.Equal(created.LastUpdateTimeSinceEpoch, unchanged.LastUpdateTimeSinceEpoch);

        await ClockTickAsync();
        await Store.PutArtifactsAsync([Version("changed") with { Id = id }]);
        var changed = await ReadArtifactAsync(id);
        Assert.True(changed.LastUpdateTimeSinceEpoch > created.LastUpdateTimeSinceEpoch);
        Assert.Equal(created.CreateTimeSinceEpoch, changed.CreateTimeSinceEpoch);

        await ClockTickAsync();
        await Store.PutArtifactsAsync([Version("changed") with { Id = id, Properties = Values(("foo", MetadataValue.Int(2))) }]);
        var propertyChanged = await ReadArtifactAsync(id);
        Assert.True(propertyChanged.LastUpdateTimeSinceEpoch > changed.LastUpdateTimeSinceEpoch);
    }

    [SkippableFact]
    public async Task Execution_last_update_time_moves_only_when_an_update_changes_something()
    {
        var typeId = await PutExampleExecutionTypeAsync();
        var id = await PutExecutionAsync(new Execution { TypeId = typeId, LastKnownState = ExecutionState.Running });
        var created = await ReadExecutionAsync(id);

        await ClockTickAsync();
        await Store.PutExecutionsAsync([new Execution { Id = id, TypeId = typeId, LastKnownState = ExecutionState.Running }]);
        Assert.Equal(created.LastUpdateTimeSinceEpoch, (await ReadExecutionAsync(id)).LastUpdateTimeSinceEpoch);

        await ClockTickAsync();
        await Store.PutExecutionsAsync([new Execution { Id = id, TypeId = typeId, LastKnownState = ExecutionState.Complete }]);
        Assert.True((await ReadExecutionAsync(id)).LastUpdateTimeSinceEpoch > created.LastUpdateTimeSinceEpoch);
    }

    // ------------------------------------------------------------------ items 24–26: masked updates

    [SkippableFact]
    public async Task Masked_update_changes_only_the_listed_paths()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Uri = "testuri",
            State = ArtifactState.Live,
            Properties = Values(("foo", MetadataValue.Int(3)), ("bar", MetadataValue.String("Hello"))),
            CustomProperties = Values(("hello", MetadataValue.String("world")), ("kept", MetadataValue.Int(1))),
        });

        var ids = await Store.PutArtifactsAsync(
            [new Artifact
            {
                Id = id,
                TypeId = typeId,
                Uri = "ignored_uri",
                ExternalId = "artifact_1",
                State = ArtifactState.Deleted,
                Properties = Values(("foo", MetadataValue.Int(5)), ("bar", MetadataValue.String("Goodbye"))),
                CustomProperties = Values(("hello", MetadataValue.String("hello world"))),
            }],
            new PutNodesOptions { UpdateMask = ["external_id", "properties.foo", "custom_properties.hello", "", "invalid_field_mask_path"] });

        Assert.Equal(id, Assert.Single(ids));
        var stored = await ReadArtifactAsync(id);
        Assert.Equal("artifact_1", stored.ExternalId);
        Assert.Equal("testuri", stored.Uri);
        Assert.Equal(ArtifactState.Live, stored.State);
        AssertValues(Values(("foo", MetadataValue.Int(5)), ("bar", MetadataValue.String("Hello"))), stored.Properties);
        AssertValues(Values(("hello", MetadataValue.String("hello world")), ("kept", MetadataValue.Int(1))), stored.CustomProperties);
    }

    [SkippableFact]
    public async Task Masked_update_of_top_level_fields_merges_them()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Uri = "old", State = ArtifactState.Pending, Properties = Values(("foo", MetadataValue.Int(1))) });

        await Store.PutArtifactsAsync([new Artifact { Id = id, Uri = "new", State = ArtifactState.Live }], new PutNodesOptions { UpdateMask = ["uri", "state"] });

        var stored = await ReadArtifactAsync(id);
        Assert.Equal("new", stored.Uri);
        Assert.Equal(ArtifactState.Live, stored.State);
        AssertValues(Values(("foo", MetadataValue.Int(1))), stored.Properties);
    }

    [SkippableFact]
    public async Task Masked_update_of_a_key_missing_from_the_request_deletes_that_property()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Properties = Values(("foo", MetadataValue.Int(3)), ("bar", MetadataValue.String("Hello"))),
            CustomProperties = Values(("k", MetadataValue.Int(1)), ("other", MetadataValue.Int(2))),
        });

        await Store.PutArtifactsAsync([new Artifact { Id = id }], new PutNodesOptions { UpdateMask = ["custom_properties.k", "properties.bar"] });

        var stored = await ReadArtifactAsync(id);
        AssertValues(Values(("other", MetadataValue.Int(2))), stored.CustomProperties);
        AssertValues(Values(("foo", MetadataValue.Int(3))), stored.Properties);
    }

    [SkippableFact]
    public async Task Masked_update_with_only_invalid_paths_changes_nothing()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Uri = "testuri",
            Properties = Values(("foo", MetadataValue.Int(3))),
            CustomProperties = Values(("k", MetadataValue.Int(1))),
        });
        var before = await ReadArtifactAsync(id);

        await ClockTickAsync();
        await Store.PutArtifactsAsync([new Artifact { Id = id, Uri = "other" }], new PutNodesOptions { UpdateMask = ["invalid_field_mask_path", ""] });

        var stored = await ReadArtifactAsync(id);
        Assert.Equal("testuri", stored.Uri);
        AssertValues(before.Properties, stored.Properties);
        AssertValues(before.CustomProperties, stored.CustomProperties);
        Assert.Equal(before.LastUpdateTimeSinceEpoch, stored.LastUpdateTimeSinceEpoch);
    }

    [SkippableFact]
    public async Task Masked_update_of_a_whole_property_map_replaces_it()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Properties = Values(("foo", MetadataValue.Int(3)), ("bar", MetadataValue.String("Hello"))),
            CustomProperties = Values(("a", MetadataValue.Int(1)), ("b", MetadataValue.Int(2))),
        });

        await Store.PutArtifactsAsync(
            [new Artifact { Id = id, Properties = Values(("baz", MetadataValue.Double(1.0))), CustomProperties = Values(("c", MetadataValue.Int(3))) }],
            new PutNodesOptions { UpdateMask = ["properties", "custom_properties", "custom_properties.a"] });

        var stored = await ReadArtifactAsync(id);
        AssertValues(Values(("baz", MetadataValue.Double(1.0))), stored.Properties);
        AssertValues(Values(("c", MetadataValue.Int(3))), stored.CustomProperties);
    }

    [SkippableFact]
    public async Task Masked_update_with_a_value_of_the_wrong_kind_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Properties = Values(("bar", MetadataValue.String("Hello"))) });

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [new Artifact { Id = id, Properties = Values(("bar", MetadataValue.Int(1))) }],
            new PutNodesOptions { UpdateMask = ["properties.bar"] }));

        Assert.Contains(Messages.NodeUnmatchedPropertyType("bar", PropertyType.String, ValueKind.Int), e.Message);
        AssertValues(Values(("bar", MetadataValue.String("Hello"))), (await ReadArtifactAsync(id)).Properties);
    }

    [SkippableFact]
    public async Task The_update_mask_is_ignored_for_inserts_in_the_same_request()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var existing = await PutArtifactAsync(new Artifact { TypeId = typeId, Uri = "old" });

        var ids = await Store.PutArtifactsAsync(
            [
                new Artifact { Id = existing, Uri = "ignored", ExternalId = "updated_ext" },
                new Artifact { TypeId = typeId, Uri = "inserted_uri", Properties = Values(("foo", MetadataValue.Int(9))) },
            ],
            new PutNodesOptions { UpdateMask = ["external_id"] });

        Assert.Equal(existing, ids[0]);
        var existingStored = await ReadArtifactAsync(existing);
        Assert.Equal("old", existingStored.Uri);
        Assert.Equal("updated_ext", existingStored.ExternalId);
        var inserted = await ReadArtifactAsync(ids[1]);
        Assert.Equal("inserted_uri", inserted.Uri);
        AssertValues(Values(("foo", MetadataValue.Int(9))), inserted.Properties);
    }

    [SkippableFact]
    public async Task Masked_execution_and_context_updates_merge_the_listed_paths()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var contextTypeId = await PutExampleContextTypeAsync();
        var executionId = await PutExecutionAsync(new Execution
        {
            TypeId = executionTypeId,
            LastKnownState = ExecutionState.Running,
            Properties = Values(("foo", MetadataValue.Int(1))),
        });
        var contextId = await PutContextAsync(new Context { TypeId = contextTypeId, Name = "old", Properties = Values(("foo", MetadataValue.Int(1))) });

        await Store.PutExecutionsAsync(
            [new Execution { Id = executionId, LastKnownState = ExecutionState.Complete, Properties = Values(("foo", MetadataValue.Int(9))) }],
            new PutNodesOptions { UpdateMask = ["last_known_state"] });
        await Store.PutContextsAsync(
            [new Context { Id = contextId, Name = "new", Properties = Values(("bar", MetadataValue.String("b"))) }],
            new PutNodesOptions { UpdateMask = ["name", "properties.bar"] });

        var execution = await ReadExecutionAsync(executionId);
        Assert.Equal(ExecutionState.Complete, execution.LastKnownState);
        AssertValues(Values(("foo", MetadataValue.Int(1))), execution.Properties);
        var context = await ReadContextAsync(contextId);
        Assert.Equal("new", context.Name);
        AssertValues(Values(("foo", MetadataValue.Int(1)), ("bar", MetadataValue.String("b"))), context.Properties);
    }

    [SkippableFact]
    public async Task An_unmasked_update_with_an_unknown_property_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Uri = "kept", Properties = Values(("foo", MetadataValue.Int(1))) });

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [new Artifact { Id = id, Uri = "changed", Properties = Values(("unknown", MetadataValue.Int(1))) }]));

        Assert.Contains(Messages.NodeUnknownProperty("unknown", ArtifactTypeName), e.Message);
        var stored = await ReadArtifactAsync(id);
        Assert.Equal("kept", stored.Uri);
        AssertValues(Values(("foo", MetadataValue.Int(1))), stored.Properties);
    }

    [SkippableFact]
    public async Task A_masked_update_adding_an_undeclared_property_is_rejected()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Properties = Values(("foo", MetadataValue.Int(1))) });

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [new Artifact { Id = id, Properties = Values(("unknown", MetadataValue.Int(1))) }],
            new PutNodesOptions { UpdateMask = ["properties.unknown"] }));

        Assert.Contains(Messages.NodeUnknownProperty("unknown", ArtifactTypeName), e.Message);
        AssertValues(Values(("foo", MetadataValue.Int(1))), (await ReadArtifactAsync(id)).Properties);
    }

    [SkippableFact]
    public async Task The_update_time_check_does_not_apply_to_inserts()
    {
        var typeId = await PutExampleArtifactTypeAsync();

        var ids = await Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Uri = "new", LastUpdateTimeSinceEpoch = 1 }],
            new PutNodesOptions { AbortIfLatestUpdatedTimeChanged = true });

        Assert.Equal("new", (await ReadArtifactAsync(Assert.Single(ids))).Uri);
    }

    [SkippableFact]
    public async Task Property_names_with_special_characters_and_long_values_round_trip()
    {
        var typeId = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "special", Properties = Declare(("my property", PropertyType.String), ("my:prop.x", PropertyType.Int)) });
        var longText = new string('x', 100_000);
        var values = Values(("my property", MetadataValue.String(longText)), ("my:prop.x", MetadataValue.Int(long.MinValue)));

        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Properties = values, CustomProperties = Values(("`quoted` 'name'", MetadataValue.String(""))) });

        var stored = await ReadArtifactAsync(id);
        AssertValues(values, stored.Properties);
        AssertValues(Values(("`quoted` 'name'", MetadataValue.String(""))), stored.CustomProperties);
    }

    // ------------------------------------------------------------------ item 27: contexts

    [SkippableFact]
    public async Task Put_context_without_a_name_is_rejected()
    {
        var typeId = await PutExampleContextTypeAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutContextsAsync([new Context { TypeId = typeId }]));
        Assert.Contains(Messages.ContextNameEmpty, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutContextsAsync([new Context { TypeId = typeId, Name = "ok" }, new Context { TypeId = typeId, Name = "" }]));
        Assert.Contains(Messages.ContextNameEmpty, e.Message);

        Assert.Empty(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task Two_contexts_with_the_same_type_and_name_are_rejected()
    {
        var typeId = await PutExampleContextTypeAsync();

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutContextsAsync(
            [new Context { TypeId = typeId, Name = "same" }, new Context { TypeId = typeId, Name = "same" }]));
        Assert.Contains(Messages.NodeAlreadyExists(NodeKind.Context, ""), e.Message);
        Assert.Empty(await AllContextsAsync());

        await PutContextAsync(new Context { TypeId = typeId, Name = "same" });
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutContextsAsync([new Context { TypeId = typeId, Name = "same" }]));
        Assert.Single(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task Contexts_of_different_types_may_share_a_name()
    {
        var t1 = await PutExampleContextTypeAsync("t1");
        var t2 = await PutExampleContextTypeAsync("t2");

        var ids = await Store.PutContextsAsync([new Context { TypeId = t1, Name = "same" }, new Context { TypeId = t2, Name = "same" }]);

        Assert.Equal(2, ids.Distinct().Count());
    }

    [SkippableFact]
    public async Task A_context_name_can_be_changed_by_an_update()
    {
        var typeId = await PutExampleContextTypeAsync();
        var id = await PutContextAsync(new Context { TypeId = typeId, Name = "before" });

        Assert.Equal(id, Assert.Single(await Store.PutContextsAsync([new Context { Id = id, TypeId = typeId, Name = "after" }])));

        Assert.Equal("after", (await ReadContextAsync(id)).Name);
        Assert.Equal(id, (await Store.GetContextByTypeAndNameAsync(ContextTypeName, "after"))?.Id);
    }

    [SkippableFact]
    public async Task Renaming_a_context_onto_an_existing_name_is_rejected()
    {
        var typeId = await PutExampleContextTypeAsync();
        await PutContextAsync(new Context { TypeId = typeId, Name = "taken" });
        var id = await PutContextAsync(new Context { TypeId = typeId, Name = "free" });

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutContextsAsync([new Context { Id = id, TypeId = typeId, Name = "taken" }]));

        Assert.Equal("free", (await ReadContextAsync(id)).Name);
    }

    // ------------------------------------------------------------------ item 28: abort_if_latest_updated_time_changed

    [SkippableFact]
    public async Task Update_with_the_current_last_update_time_succeeds_and_a_stale_one_fails()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Uri = "v1" });
        var read = await ReadArtifactAsync(id);
        var options = new PutNodesOptions { AbortIfLatestUpdatedTimeChanged = true };

        var ids = await Store.PutArtifactsAsync([read with { Uri = "v2" }], options);
        Assert.Equal(id, Assert.Single(ids));
        var afterFirst = await ReadArtifactAsync(id);
        Assert.Equal("v2", afterFirst.Uri);
        Assert.True(afterFirst.LastUpdateTimeSinceEpoch > read.LastUpdateTimeSinceEpoch);

        await Assert.ThrowsAsync<FailedPreconditionException>(() => Store.PutArtifactsAsync([read with { Uri = "v3", LastUpdateTimeSinceEpoch = null }], options));
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => Store.PutArtifactsAsync([read with { Uri = "v3" }], options));
        Assert.Contains(Messages.NodeUpdateTimeChanged(id, afterFirst.LastUpdateTimeSinceEpoch!.Value, read.LastUpdateTimeSinceEpoch!.Value), e.Message);
        var afterSecond = await ReadArtifactAsync(id);
        Assert.Equal("v2", afterSecond.Uri);
        Assert.Equal(afterFirst.LastUpdateTimeSinceEpoch, afterSecond.LastUpdateTimeSinceEpoch);
    }

    [SkippableFact]
    public async Task A_stale_update_in_a_batch_rolls_back_the_whole_batch()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = typeId, Uri = "a" }, new Artifact { TypeId = typeId, Uri = "b" }]);
        var a = await ReadArtifactAsync(ids[0]);
        var b = await ReadArtifactAsync(ids[1]);
        await ClockTickAsync();
        await Store.PutArtifactsAsync([b with { Uri = "b2" }]);

        await Assert.ThrowsAsync<FailedPreconditionException>(() => Store.PutArtifactsAsync(
            [a with { Uri = "a3" }, b with { Uri = "b3" }, new Artifact { TypeId = typeId, Uri = "new" }],
            new PutNodesOptions { AbortIfLatestUpdatedTimeChanged = true }));

        Assert.Equal("a", (await ReadArtifactAsync(ids[0])).Uri);
        Assert.Equal("b2", (await ReadArtifactAsync(ids[1])).Uri);
        Assert.Equal(2, (await AllArtifactsAsync()).Count);
    }

    // ------------------------------------------------------------------ §4.2: batches are atomic

    [SkippableFact]
    public async Task A_failed_batch_applies_none_of_its_updates()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Uri = "original" });

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactsAsync(
            [
                new Artifact { Id = id, TypeId = typeId, Uri = "updated" },
                new Artifact { TypeId = typeId, Uri = "inserted" },
                new Artifact { TypeId = typeId, Properties = Values(("foo", MetadataValue.Double(1))) },
            ]));

        Assert.Equal("original", Assert.Single(await AllArtifactsAsync()).Uri);
    }

    [SkippableFact]
    public async Task Put_nodes_returns_ids_aligned_with_the_request()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var existing = await PutArtifactAsync(new Artifact { TypeId = typeId, Uri = "existing" });

        var ids = await Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Uri = "first" }, new Artifact { Id = existing, TypeId = typeId, Uri = "existing2" }, new Artifact { TypeId = typeId, Uri = "third" }]);

        Assert.Equal(3, ids.Count);
        Assert.Equal(existing, ids[1]);
        Assert.Equal("first", (await ReadArtifactAsync(ids[0])).Uri);
        Assert.Equal("existing2", (await ReadArtifactAsync(ids[1])).Uri);
        Assert.Equal("third", (await ReadArtifactAsync(ids[2])).Uri);
    }
}
