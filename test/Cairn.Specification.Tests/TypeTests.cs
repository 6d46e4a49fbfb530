using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Type upserts and type reads (mlmd.md §4.1, §4.8; §8 items 1–16).</summary>
public abstract class TypeTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    // ------------------------------------------------------------------ item 1: fresh store, system types

    [SkippableFact]
    public async Task Fresh_store_lists_no_artifact_execution_or_context_types()
    {
        Assert.Empty(await Store.GetArtifactTypesAsync());
        Assert.Empty(await Store.GetExecutionTypesAsync());
        Assert.Empty(await Store.GetContextTypesAsync());
    }

    [SkippableFact]
    public async Task System_artifact_types_are_readable_by_name_but_hidden_from_the_type_list()
    {
        foreach (var name in SystemTypes.ArtifactTypeNames)
        {
            var type = await Store.GetArtifactTypeAsync(name);
            Assert.Equal(name, type.Name);
            Assert.NotNull(type.Id);
            var byId = Assert.Single(await Store.GetArtifactTypesByIdAsync([type.Id.Value]));
            Assert.Equal(name, byId.Name);
        }

        var userTypeId = await PutExampleArtifactTypeAsync();
        var listed = Assert.Single(await Store.GetArtifactTypesAsync());
        Assert.Equal(userTypeId, listed.Id);
    }

    [SkippableFact]
    public async Task System_execution_types_are_readable_by_name_but_hidden_from_the_type_list()
    {
        foreach (var name in SystemTypes.ExecutionTypeNames)
        {
            var type = await Store.GetExecutionTypeAsync(name);
            Assert.Equal(name, type.Name);
            Assert.NotNull(type.Id);
            var byId = Assert.Single(await Store.GetExecutionTypesByIdAsync([type.Id.Value]));
            Assert.Equal(name, byId.Name);
        }

        var userTypeId = await PutExampleExecutionTypeAsync();
        var listed = Assert.Single(await Store.GetExecutionTypesAsync());
        Assert.Equal(userTypeId, listed.Id);
    }

    [SkippableFact]
    public async Task System_types_are_distinct_and_not_readable_as_another_kind()
    {
        var ids = new List<long>();
        foreach (var name in SystemTypes.ArtifactTypeNames) ids.Add((await Store.GetArtifactTypeAsync(name)).Id!.Value);
        foreach (var name in SystemTypes.ExecutionTypeNames) ids.Add((await Store.GetExecutionTypeAsync(name)).Id!.Value);
        Assert.Equal(9, ids.Distinct().Count());

        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetExecutionTypeAsync("mlmd.Dataset"));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactTypeAsync("mlmd.Train"));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextTypeAsync("mlmd.Dataset"));
    }

    [SkippableFact]
    public async Task Context_types_are_never_hidden_even_with_a_system_type_name()
    {
        // Only Get{Artifact,Execution}Types hide the simple types; there are no context simple types (§1.3, §4.8).
        var id = await Store.PutContextTypeAsync(new ContextType { Name = "mlmd.Dataset" });

        Assert.Equal(id, Assert.Single(await Store.GetContextTypesAsync()).Id);
        Assert.Equal(id, (await Store.GetContextTypeAsync("mlmd.Dataset")).Id);
        Assert.Empty(await Store.GetArtifactTypesAsync());
    }

    // ------------------------------------------------------------------ item 2: put and get

    [SkippableFact]
    public async Task Put_artifact_type_returns_an_id_and_get_returns_its_declared_properties()
    {
        var id = await Store.PutArtifactTypeAsync(ExampleArtifactType());
        Assert.True(id > 0);

        var stored = await Store.GetArtifactTypeAsync(ArtifactTypeName);
        Assert.Equal(id, stored.Id);
        Assert.Equal(ArtifactTypeName, stored.Name);
        AssertProperties(ExampleProperties, stored.Properties);

        var byId = Assert.Single(await Store.GetArtifactTypesByIdAsync([id]));
        Assert.Equal(ArtifactTypeName, byId.Name);
        AssertProperties(ExampleProperties, byId.Properties);
        Assert.Equal(id, Assert.Single(await Store.GetArtifactTypesAsync()).Id);
    }

    [SkippableFact]
    public async Task Put_execution_type_returns_an_id_and_get_returns_its_declared_properties()
    {
        var id = await Store.PutExecutionTypeAsync(ExampleExecutionType());
        Assert.True(id > 0);

        var stored = await Store.GetExecutionTypeAsync(ExecutionTypeName);
        Assert.Equal(id, stored.Id);
        Assert.Equal(ExecutionTypeName, stored.Name);
        AssertProperties(ExampleProperties, stored.Properties);
        AssertProperties(ExampleProperties, Assert.Single(await Store.GetExecutionTypesByIdAsync([id])).Properties);
        Assert.Equal(id, Assert.Single(await Store.GetExecutionTypesAsync()).Id);
    }

    [SkippableFact]
    public async Task Put_context_type_returns_an_id_and_get_returns_its_declared_properties()
    {
        var id = await Store.PutContextTypeAsync(ExampleContextType());
        Assert.True(id > 0);

        var stored = await Store.GetContextTypeAsync(ContextTypeName);
        Assert.Equal(id, stored.Id);
        Assert.Equal(ContextTypeName, stored.Name);
        AssertProperties(ExampleProperties, stored.Properties);
        AssertProperties(ExampleProperties, Assert.Single(await Store.GetContextTypesByIdAsync([id])).Properties);
        Assert.Equal(id, Assert.Single(await Store.GetContextTypesAsync()).Id);
    }

    [SkippableFact]
    public async Task Every_property_type_round_trips_on_a_type()
    {
        var declared = Declare(
            ("i", PropertyType.Int), ("d", PropertyType.Double), ("s", PropertyType.String),
            ("st", PropertyType.Struct), ("p", PropertyType.Proto), ("b", PropertyType.Boolean));
        await Store.PutArtifactTypeAsync(new ArtifactType { Name = "all_kinds", Properties = declared });

        AssertProperties(declared, (await Store.GetArtifactTypeAsync("all_kinds")).Properties);
    }

    [SkippableFact]
    public async Task Type_description_is_stored_on_insert_and_kept_when_the_type_is_put_again()
    {
        var id = await Store.PutArtifactTypeAsync(ExampleArtifactType() with { Description = "first description" });
        var again = await Store.PutArtifactTypeAsync(ExampleArtifactType() with { Description = "second description" });

        Assert.Equal(id, again);
        Assert.Equal("first description", (await Store.GetArtifactTypeAsync(ArtifactTypeName)).Description);
    }

    [SkippableFact]
    public async Task Type_id_in_the_request_is_ignored_on_insert()
    {
        var id = await Store.PutArtifactTypeAsync(ExampleArtifactType() with { Id = 4242 });
        Assert.NotEqual(4242, id);
        Assert.Equal(id, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).Id);
        Assert.Empty(await Store.GetArtifactTypesByIdAsync([4242]));
    }

    [SkippableFact]
    public async Task Execution_type_input_and_output_types_round_trip()
    {
        byte[] input = [0x0a, 0x02, 0x12, 0x00];
        byte[] output = [0x2a, 0x00];
        var id = await Store.PutExecutionTypeAsync(ExampleExecutionType() with { InputType = input, OutputType = output });

        var stored = Assert.Single(await Store.GetExecutionTypesByIdAsync([id]));
        Assert.NotNull(stored.InputType);
        Assert.NotNull(stored.OutputType);
        Assert.Equal(input, stored.InputType.Value.ToArray());
        Assert.Equal(output, stored.OutputType.Value.ToArray());
    }

    // ------------------------------------------------------------------ items 3–7: upsert compatibility

    [SkippableFact]
    public async Task Putting_an_identical_type_twice_returns_the_same_id()
    {
        var artifact = await Store.PutArtifactTypeAsync(ExampleArtifactType());
        Assert.Equal(artifact, await Store.PutArtifactTypeAsync(ExampleArtifactType()));

        var execution = await Store.PutExecutionTypeAsync(ExampleExecutionType());
        Assert.Equal(execution, await Store.PutExecutionTypeAsync(ExampleExecutionType()));

        var context = await Store.PutContextTypeAsync(ExampleContextType());
        Assert.Equal(context, await Store.PutContextTypeAsync(ExampleContextType()));

        Assert.Single(await Store.GetArtifactTypesAsync());
        Assert.Single(await Store.GetExecutionTypesAsync());
        Assert.Single(await Store.GetContextTypesAsync());
    }

    [SkippableFact]
    public async Task Putting_a_type_with_a_new_property_is_rejected_without_can_add_fields()
    {
        var id = await PutExampleArtifactTypeAsync();
        var extended = new ArtifactType { Name = ArtifactTypeName, Properties = Declare(("foo", PropertyType.Int), ("bar", PropertyType.String), ("baz", PropertyType.Double), ("new_prop", PropertyType.Int)) };

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactTypeAsync(extended));
        Assert.Contains(Messages.TypeAlreadyExistsDifferent(ArtifactTypeName, ""), e.Message);
        AssertProperties(ExampleProperties, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).Properties);

        var added = await Store.PutArtifactTypeAsync(extended, new TypeUpsertOptions { CanAddFields = true });
        Assert.Equal(id, added);
        AssertProperties(extended.Properties, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).Properties);
    }

    [SkippableFact]
    public async Task Putting_an_execution_type_with_a_new_property_needs_can_add_fields()
    {
        var id = await PutExampleExecutionTypeAsync();
        var extended = new ExecutionType { Name = ExecutionTypeName, Properties = Declare(("foo", PropertyType.Int), ("bar", PropertyType.String), ("baz", PropertyType.Double), ("new_prop", PropertyType.String)) };

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutExecutionTypeAsync(extended));
        Assert.Equal(id, await Store.PutExecutionTypeAsync(extended, new TypeUpsertOptions { CanAddFields = true }));
        AssertProperties(extended.Properties, (await Store.GetExecutionTypeAsync(ExecutionTypeName)).Properties);
    }

    [SkippableFact]
    public async Task Putting_a_context_type_with_a_new_property_needs_can_add_fields()
    {
        var id = await PutExampleContextTypeAsync();
        var extended = new ContextType { Name = ContextTypeName, Properties = Declare(("foo", PropertyType.Int), ("bar", PropertyType.String), ("baz", PropertyType.Double), ("new_prop", PropertyType.Boolean)) };

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutContextTypeAsync(extended));
        Assert.Equal(id, await Store.PutContextTypeAsync(extended, new TypeUpsertOptions { CanAddFields = true }));
        AssertProperties(extended.Properties, (await Store.GetContextTypeAsync(ContextTypeName)).Properties);
    }

    [SkippableFact]
    public async Task Putting_a_type_without_a_stored_property_is_rejected_without_can_omit_fields()
    {
        var id = await PutExampleArtifactTypeAsync();
        var reduced = new ArtifactType { Name = ArtifactTypeName, Properties = Declare(("foo", PropertyType.Int), ("bar", PropertyType.String)) };

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactTypeAsync(reduced));
        Assert.Contains(Messages.TypeAlreadyExistsDifferent(ArtifactTypeName, ""), e.Message);

        var omitted = await Store.PutArtifactTypeAsync(reduced, new TypeUpsertOptions { CanOmitFields = true });
        Assert.Equal(id, omitted);
        AssertProperties(ExampleProperties, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).Properties);
    }

    [SkippableFact]
    public async Task Changing_a_property_type_is_rejected_even_with_both_flags()
    {
        await PutExampleArtifactTypeAsync();
        var changed = new ArtifactType { Name = ArtifactTypeName, Properties = Declare(("foo", PropertyType.Double), ("bar", PropertyType.String), ("baz", PropertyType.Double)) };

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactTypeAsync(changed, new TypeUpsertOptions { CanAddFields = true }));
        Assert.Contains(Messages.TypeAlreadyExistsDifferent(ArtifactTypeName, ""), e.Message);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactTypeAsync(changed, new TypeUpsertOptions { CanAddFields = true, CanOmitFields = true }));

        AssertProperties(ExampleProperties, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).Properties);
    }

    [SkippableFact]
    public async Task A_disjoint_property_set_needs_both_can_add_and_can_omit_fields()
    {
        var id = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "t", Properties = Declare(("p1", PropertyType.Int), ("p2", PropertyType.Double)) });
        var other = new ArtifactType { Name = "t", Properties = Declare(("p3", PropertyType.String)) };

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactTypeAsync(other, new TypeUpsertOptions { CanOmitFields = true }));
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactTypeAsync(other, new TypeUpsertOptions { CanAddFields = true }));
        AssertProperties(Declare(("p1", PropertyType.Int), ("p2", PropertyType.Double)), (await Store.GetArtifactTypeAsync("t")).Properties);

        Assert.Equal(id, await Store.PutArtifactTypeAsync(other, new TypeUpsertOptions { CanAddFields = true, CanOmitFields = true }));
        AssertProperties(
            Declare(("p1", PropertyType.Int), ("p2", PropertyType.Double), ("p3", PropertyType.String)),
            (await Store.GetArtifactTypeAsync("t")).Properties);
    }

    // ------------------------------------------------------------------ item 8: PutTypes

    [SkippableFact]
    public async Task Put_types_returns_ids_aligned_with_the_request_for_every_kind()
    {
        var result = await Store.PutTypesAsync(
            [ExampleArtifactType("a1"), ExampleArtifactType("a2")],
            [ExampleExecutionType("e1")],
            [ExampleContextType("c1"), ExampleContextType("c2"), ExampleContextType("c3")]);

        Assert.Equal(2, result.ArtifactTypeIds.Count);
        Assert.Single(result.ExecutionTypeIds);
        Assert.Equal(3, result.ContextTypeIds.Count);
        Assert.Equal(result.ArtifactTypeIds[0], (await Store.GetArtifactTypeAsync("a1")).Id);
        Assert.Equal(result.ArtifactTypeIds[1], (await Store.GetArtifactTypeAsync("a2")).Id);
        Assert.Equal(result.ExecutionTypeIds[0], (await Store.GetExecutionTypeAsync("e1")).Id);
        Assert.Equal(result.ContextTypeIds[0], (await Store.GetContextTypeAsync("c1")).Id);
        Assert.Equal(result.ContextTypeIds[1], (await Store.GetContextTypeAsync("c2")).Id);
        Assert.Equal(result.ContextTypeIds[2], (await Store.GetContextTypeAsync("c3")).Id);

        var again = await Store.PutTypesAsync([ExampleArtifactType("a2")], [], [ExampleContextType("c1")]);
        Assert.Equal(result.ArtifactTypeIds[1], Assert.Single(again.ArtifactTypeIds));
        Assert.Empty(again.ExecutionTypeIds);
        Assert.Equal(result.ContextTypeIds[0], Assert.Single(again.ContextTypeIds));
    }

    [SkippableFact]
    public async Task Put_types_with_one_incompatible_type_stores_none_of_the_request()
    {
        await Store.PutArtifactTypeAsync(new ArtifactType { Name = "stored_artifact_type", Properties = Declare(("p", PropertyType.Int)) });
        await Store.PutContextTypeAsync(new ContextType { Name = "stored_context_type", Properties = Declare(("p", PropertyType.Int)) });

        var options = new TypeUpsertOptions { CanAddFields = true };
        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutTypesAsync(
            [
                new ArtifactType { Name = "stored_artifact_type", Properties = Declare(("p", PropertyType.Int), ("added", PropertyType.String)) },
                new ArtifactType { Name = "new_artifact_type" },
            ],
            [new ExecutionType { Name = "new_execution_type" }],
            [new ContextType { Name = "stored_context_type", Properties = Declare(("p", PropertyType.String)) }],
            options));
        Assert.Contains(Messages.TypeAlreadyExistsDifferent("stored_context_type", ""), e.Message);

        AssertProperties(Declare(("p", PropertyType.Int)), (await Store.GetArtifactTypeAsync("stored_artifact_type")).Properties);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactTypeAsync("new_artifact_type"));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetExecutionTypeAsync("new_execution_type"));
        Assert.Single(await Store.GetArtifactTypesAsync());
        Assert.Empty(await Store.GetExecutionTypesAsync());
        Assert.Single(await Store.GetContextTypesAsync());
    }

    [SkippableFact]
    public async Task Put_types_with_an_invalid_type_stores_none_of_the_request()
    {
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutTypesAsync(
            [new ArtifactType { Name = "valid" }],
            [new ExecutionType { Name = "" }],
            []));

        Assert.Empty(await Store.GetArtifactTypesAsync());
        Assert.Empty(await Store.GetExecutionTypesAsync());
    }

    // ------------------------------------------------------------------ items 9–10: invalid requests

    [SkippableFact]
    public async Task Put_type_without_a_name_is_rejected()
    {
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactTypeAsync(new ArtifactType { Properties = ExampleProperties }));
        Assert.Contains(Messages.TypeNameMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactTypeAsync(new ArtifactType { Name = "" }));
        Assert.Contains(Messages.TypeNameMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionTypeAsync(new ExecutionType()));
        Assert.Contains(Messages.TypeNameMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutContextTypeAsync(new ContextType()));
        Assert.Contains(Messages.TypeNameMissing, e.Message);

        Assert.Empty(await Store.GetArtifactTypesAsync());
        Assert.Empty(await Store.GetExecutionTypesAsync());
        Assert.Empty(await Store.GetContextTypesAsync());
    }

    [SkippableFact]
    public async Task Put_type_with_a_property_of_unknown_type_is_rejected()
    {
        var properties = Declare(("good", PropertyType.Int), ("bad", PropertyType.Unknown));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutArtifactTypeAsync(new ArtifactType { Name = "t", Properties = properties }));
        Assert.Contains(Messages.TypePropertyUnknownType("bad"), e.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionTypeAsync(new ExecutionType { Name = "t", Properties = properties }));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutContextTypeAsync(new ContextType { Name = "t", Properties = properties }));

        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactTypeAsync("t"));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetExecutionTypeAsync("t"));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextTypeAsync("t"));
    }

    [SkippableFact]
    public async Task All_fields_match_false_is_unimplemented()
    {
        var options = new TypeUpsertOptions { AllFieldsMatch = false };

        var e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutArtifactTypeAsync(ExampleArtifactType(), options));
        Assert.Contains(Messages.AllFieldsMatchUnsupported, e.Message);
        e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutExecutionTypeAsync(ExampleExecutionType(), options));
        Assert.Contains(Messages.AllFieldsMatchUnsupported, e.Message);
        e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutContextTypeAsync(ExampleContextType(), options));
        Assert.Contains(Messages.AllFieldsMatchUnsupported, e.Message);
        e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutTypesAsync([ExampleArtifactType()], [], [], options));
        Assert.Contains(Messages.AllFieldsMatchUnsupported, e.Message);

        Assert.Empty(await Store.GetArtifactTypesAsync());
        Assert.Empty(await Store.GetExecutionTypesAsync());
        Assert.Empty(await Store.GetContextTypesAsync());
    }

    // ------------------------------------------------------------------ item 11: missing types

    [SkippableFact]
    public async Task Get_type_by_an_unknown_name_is_not_found()
    {
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactTypeAsync("missing"));
        Assert.Contains(Messages.TypeNotFound("missing", null), e.Message);
        e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetExecutionTypeAsync("missing"));
        Assert.Contains(Messages.TypeNotFound("missing", null), e.Message);
        e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextTypeAsync("missing"));
        Assert.Contains(Messages.TypeNotFound("missing", null), e.Message);
    }

    [SkippableFact]
    public async Task Get_types_by_id_skips_unknown_ids()
    {
        Assert.Empty(await Store.GetArtifactTypesByIdAsync([999]));
        Assert.Empty(await Store.GetExecutionTypesByIdAsync([999]));
        Assert.Empty(await Store.GetContextTypesByIdAsync([999]));
        Assert.Empty(await Store.GetArtifactTypesByIdAsync([]));

        var id = await PutExampleArtifactTypeAsync();
        var found = Assert.Single(await Store.GetArtifactTypesByIdAsync([999, id, 1000]));
        Assert.Equal(id, found.Id);
    }

    [SkippableFact]
    public async Task Get_types_by_id_skips_types_of_another_kind()
    {
        var artifactTypeId = await PutExampleArtifactTypeAsync();
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var contextTypeId = await PutExampleContextTypeAsync();

        Assert.Empty(await Store.GetExecutionTypesByIdAsync([artifactTypeId, contextTypeId]));
        Assert.Empty(await Store.GetContextTypesByIdAsync([artifactTypeId, executionTypeId]));
        Assert.Empty(await Store.GetArtifactTypesByIdAsync([executionTypeId, contextTypeId]));
    }

    // ------------------------------------------------------------------ items 12–14: identity = (name, version, kind)

    [SkippableFact]
    public async Task Versioned_and_unversioned_types_of_one_name_are_distinct()
    {
        var versioned = await Store.PutArtifactTypeAsync(ExampleArtifactType("n") with { Version = "v1" });
        var unversioned = await Store.PutArtifactTypeAsync(ExampleArtifactType("n"));
        Assert.NotEqual(versioned, unversioned);

        var plain = await Store.GetArtifactTypeAsync("n");
        Assert.Equal(unversioned, plain.Id);
        Assert.True(string.IsNullOrEmpty(plain.Version));
        var v1 = await Store.GetArtifactTypeAsync("n", "v1");
        Assert.Equal(versioned, v1.Id);
        Assert.Equal("v1", v1.Version);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactTypeAsync("n", "v2"));
        Assert.Contains(Messages.TypeNotFound("n", "v2"), e.Message);
        Assert.Empty((await Store.GetArtifactsByTypeAsync("n", "random")).Items);
        Assert.Equal(2, (await Store.GetArtifactTypesAsync()).Count);
    }

    [SkippableFact]
    public async Task Versioned_execution_and_context_types_are_distinct_from_unversioned_ones()
    {
        var ev = await Store.PutExecutionTypeAsync(ExampleExecutionType("n") with { Version = "v1" });
        var e0 = await Store.PutExecutionTypeAsync(ExampleExecutionType("n"));
        var cv = await Store.PutContextTypeAsync(ExampleContextType("n") with { Version = "v1" });
        var c0 = await Store.PutContextTypeAsync(ExampleContextType("n"));

        Assert.NotEqual(ev, e0);
        Assert.NotEqual(cv, c0);
        Assert.Equal(e0, (await Store.GetExecutionTypeAsync("n")).Id);
        Assert.Equal(ev, (await Store.GetExecutionTypeAsync("n", "v1")).Id);
        Assert.Equal(c0, (await Store.GetContextTypeAsync("n")).Id);
        Assert.Equal(cv, (await Store.GetContextTypeAsync("n", "v1")).Id);
    }

    [SkippableFact]
    public async Task An_empty_type_version_is_the_same_as_no_version()
    {
        var id = await Store.PutContextTypeAsync(new ContextType { Name = "t" });
        Assert.Equal(id, await Store.PutContextTypeAsync(new ContextType { Name = "t", Version = "" }));
        Assert.Equal(id, (await Store.GetContextTypeAsync("t", "")).Id);
        Assert.Equal(id, (await Store.GetContextTypeAsync("t", null)).Id);
        Assert.Single(await Store.GetContextTypesAsync());

        var artifactTypeId = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "a", Version = "" });
        Assert.Equal(artifactTypeId, await Store.PutArtifactTypeAsync(new ArtifactType { Name = "a" }));
        Assert.Equal(artifactTypeId, (await Store.GetArtifactTypeAsync("a")).Id);
    }

    [SkippableFact]
    public async Task Types_of_different_kinds_may_share_a_name()
    {
        var artifact = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "X" });
        var execution = await Store.PutExecutionTypeAsync(new ExecutionType { Name = "X" });
        var context = await Store.PutContextTypeAsync(new ContextType { Name = "X" });

        Assert.Equal(3, new[] { artifact, execution, context }.Distinct().Count());
        Assert.Equal(artifact, (await Store.GetArtifactTypeAsync("X")).Id);
        Assert.Equal(execution, (await Store.GetExecutionTypeAsync("X")).Id);
        Assert.Equal(context, (await Store.GetContextTypeAsync("X")).Id);
    }

    // ------------------------------------------------------------------ item 15: base types

    [SkippableFact]
    public async Task Artifact_type_base_type_round_trips_and_cannot_be_changed_or_removed()
    {
        var id = await Store.PutArtifactTypeAsync(ExampleArtifactType() with { BaseType = ArtifactBaseType.Model });
        Assert.Equal(ArtifactBaseType.Model, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).BaseType);
        Assert.Equal(ArtifactBaseType.Model, Assert.Single(await Store.GetArtifactTypesByIdAsync([id])).BaseType);
        Assert.Equal(ArtifactBaseType.Model, Assert.Single(await Store.GetArtifactTypesAsync()).BaseType);

        var e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutArtifactTypeAsync(ExampleArtifactType() with { BaseType = ArtifactBaseType.Dataset }));
        Assert.Contains(Messages.TypeBaseTypeUpdate, e.Message);
        e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutArtifactTypeAsync(ExampleArtifactType() with { BaseType = ArtifactBaseType.Unset }));
        Assert.Contains(Messages.TypeBaseTypeDeletion, e.Message);

        Assert.Equal(id, await Store.PutArtifactTypeAsync(ExampleArtifactType()));
        Assert.Equal(id, await Store.PutArtifactTypeAsync(ExampleArtifactType() with { BaseType = ArtifactBaseType.Model }));
        Assert.Equal(ArtifactBaseType.Model, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).BaseType);
    }

    [SkippableFact]
    public async Task Execution_type_base_type_round_trips_and_cannot_be_changed_or_removed()
    {
        var id = await Store.PutExecutionTypeAsync(ExampleExecutionType() with { BaseType = ExecutionBaseType.Train });
        Assert.Equal(ExecutionBaseType.Train, (await Store.GetExecutionTypeAsync(ExecutionTypeName)).BaseType);
        Assert.Equal(ExecutionBaseType.Train, Assert.Single(await Store.GetExecutionTypesByIdAsync([id])).BaseType);

        var e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutExecutionTypeAsync(ExampleExecutionType() with { BaseType = ExecutionBaseType.Deploy }));
        Assert.Contains(Messages.TypeBaseTypeUpdate, e.Message);
        e = await Assert.ThrowsAsync<UnimplementedException>(() => Store.PutExecutionTypeAsync(ExampleExecutionType() with { BaseType = ExecutionBaseType.Unset }));
        Assert.Contains(Messages.TypeBaseTypeDeletion, e.Message);

        Assert.Equal(id, await Store.PutExecutionTypeAsync(ExampleExecutionType()));
        Assert.Equal(ExecutionBaseType.Train, (await Store.GetExecutionTypeAsync(ExecutionTypeName)).BaseType);
    }

    [SkippableFact]
    public async Task A_base_type_can_be_set_on_a_type_that_has_none()
    {
        var id = await PutExampleArtifactTypeAsync();
        Assert.Null((await Store.GetArtifactTypeAsync(ArtifactTypeName)).BaseType);

        Assert.Equal(id, await Store.PutArtifactTypeAsync(ExampleArtifactType() with { BaseType = ArtifactBaseType.Statistics }));
        Assert.Equal(ArtifactBaseType.Statistics, (await Store.GetArtifactTypeAsync(ArtifactTypeName)).BaseType);
    }

    [SkippableFact]
    public async Task Every_base_type_round_trips()
    {
        foreach (var baseType in new[] { ArtifactBaseType.Dataset, ArtifactBaseType.Model, ArtifactBaseType.Metrics, ArtifactBaseType.Statistics })
        {
            var name = "artifact_" + baseType;
            await Store.PutArtifactTypeAsync(new ArtifactType { Name = name, BaseType = baseType });
            Assert.Equal(baseType, (await Store.GetArtifactTypeAsync(name)).BaseType);
        }

        foreach (var baseType in new[] { ExecutionBaseType.Train, ExecutionBaseType.Transform, ExecutionBaseType.Process, ExecutionBaseType.Evaluate, ExecutionBaseType.Deploy })
        {
            var name = "execution_" + baseType;
            await Store.PutExecutionTypeAsync(new ExecutionType { Name = name, BaseType = baseType });
            Assert.Equal(baseType, (await Store.GetExecutionTypeAsync(name)).BaseType);
        }
    }

    // ------------------------------------------------------------------ item 16: external ids

    [SkippableFact]
    public async Task Artifact_types_are_found_by_external_ids()
    {
        var t1 = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "t1", ExternalId = "e1" });
        var t2 = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "t2", ExternalId = "e2" });

        var both = await Store.GetArtifactTypesByExternalIdsAsync(["e1", "e2"]);
        AssertSameIds([t1, t2], both.Select(t => t.Id));
        Assert.Equal("e1", both.Single(t => t.Id == t1).ExternalId);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactTypesByExternalIdsAsync(["absent"]));
        Assert.Contains(Messages.ExternalIdsNotFound(null), e.Message);

        var partial = Assert.Single(await Store.GetArtifactTypesByExternalIdsAsync(["e1", "absent"]));
        Assert.Equal(t1, partial.Id);

        var invalid = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactTypesByExternalIdsAsync([""]));
        Assert.Contains(Messages.ExternalIdEmpty, invalid.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactTypesByExternalIdsAsync(["e1", ""]));

        Assert.Empty(await Store.GetArtifactTypesByExternalIdsAsync([]));
    }

    [SkippableFact]
    public async Task Execution_and_context_types_are_found_by_external_ids()
    {
        var e1 = await Store.PutExecutionTypeAsync(new ExecutionType { Name = "t1", ExternalId = "exec_e1" });
        var c1 = await Store.PutContextTypeAsync(new ContextType { Name = "t1", ExternalId = "ctx_e1" });

        Assert.Equal(e1, Assert.Single(await Store.GetExecutionTypesByExternalIdsAsync(["exec_e1", "absent"])).Id);
        Assert.Equal(c1, Assert.Single(await Store.GetContextTypesByExternalIdsAsync(["ctx_e1", "absent"])).Id);

        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetExecutionTypesByExternalIdsAsync(["ctx_e1"]));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextTypesByExternalIdsAsync(["exec_e1"]));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionTypesByExternalIdsAsync([""]));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetContextTypesByExternalIdsAsync([""]));
        Assert.Empty(await Store.GetExecutionTypesByExternalIdsAsync([]));
        Assert.Empty(await Store.GetContextTypesByExternalIdsAsync([]));
    }

    [SkippableFact]
    public async Task Type_external_ids_are_unique_within_a_kind()
    {
        await Store.PutArtifactTypeAsync(new ArtifactType { Name = "t1", ExternalId = "shared" });

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactTypeAsync(new ArtifactType { Name = "t2", ExternalId = "shared" }));
        Assert.Contains(Messages.TypeExternalIdConflict("shared"), e.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactTypeAsync("t2"));
    }

    [SkippableFact]
    public async Task Type_external_ids_are_unique_across_kinds()
    {
        await Store.PutArtifactTypeAsync(new ArtifactType { Name = "t1", ExternalId = "shared" });

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutExecutionTypeAsync(new ExecutionType { Name = "t2", ExternalId = "shared" }));
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutContextTypeAsync(new ContextType { Name = "t3", ExternalId = "shared" }));
        Assert.Empty(await Store.GetExecutionTypesAsync());
        Assert.Empty(await Store.GetContextTypesAsync());
    }

    [SkippableFact]
    public async Task A_type_external_id_can_be_set_by_putting_the_type_again()
    {
        var id = await PutExampleArtifactTypeAsync();

        Assert.Equal(id, await Store.PutArtifactTypeAsync(ExampleArtifactType() with { ExternalId = "late" }));

        Assert.Equal(id, Assert.Single(await Store.GetArtifactTypesByExternalIdsAsync(["late"])).Id);
        Assert.Equal("late", (await Store.GetArtifactTypeAsync(ArtifactTypeName)).ExternalId);
    }

    [SkippableFact]
    public async Task An_empty_type_external_id_is_treated_as_unset()
    {
        await Store.PutArtifactTypeAsync(new ArtifactType { Name = "t1", ExternalId = "" });
        await Store.PutArtifactTypeAsync(new ArtifactType { Name = "t2", ExternalId = "" });

        Assert.Equal(2, (await Store.GetArtifactTypesAsync()).Count);
        Assert.True(string.IsNullOrEmpty((await Store.GetArtifactTypeAsync("t1")).ExternalId));
    }
}
