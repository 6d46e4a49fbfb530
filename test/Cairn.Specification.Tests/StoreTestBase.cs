using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>
/// Base of every conformance test class: each test gets its own fresh, empty store (xunit creates one instance per
/// test), so tests own all the data they read.
/// </summary>
/// <typeparam name="TStoreFactory">The backend's store factory.</typeparam>
public abstract class StoreTestBase<TStoreFactory> : IAsyncLifetime
    where TStoreFactory : ITestStoreFactory, new()
{
    private readonly TStoreFactory _factory = new();
    private IMetadataStore? _store;

    /// <summary>The store under test.</summary>
    protected IMetadataStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    /// <summary>Opens the store of this test; a backend may override it to pass options.</summary>
    protected virtual Task<IMetadataStore> CreateStoreAsync() => _factory.OpenFreshStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        try
        {
            if (_store is not null) await _store.DisposeAsync();
        }
        finally
        {
            await _factory.DisposeAsync();
        }
    }

    // ------------------------------------------------------------------ data builders

    protected const string ArtifactTypeName = "test_artifact_type";
    protected const string ExecutionTypeName = "test_execution_type";
    protected const string ContextTypeName = "test_context_type";

    /// <summary>The property declarations of MLMD's example types: foo INT, bar STRING, baz DOUBLE.</summary>
    protected static IReadOnlyDictionary<string, PropertyType> ExampleProperties { get; } = Declare(
        ("foo", PropertyType.Int), ("bar", PropertyType.String), ("baz", PropertyType.Double));

    protected static IReadOnlyDictionary<string, PropertyType> Declare(params (string Name, PropertyType Type)[] properties) =>
        properties.ToDictionary(p => p.Name, p => p.Type, StringComparer.Ordinal);

    protected static IReadOnlyDictionary<string, MetadataValue> Values(params (string Name, MetadataValue Value)[] values) =>
        values.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    protected static ArtifactType ExampleArtifactType(string name = ArtifactTypeName) =>
        new() { Name = name, Properties = ExampleProperties };

    protected static ExecutionType ExampleExecutionType(string name = ExecutionTypeName) =>
        new() { Name = name, Properties = ExampleProperties };

    protected static ContextType ExampleContextType(string name = ContextTypeName) =>
        new() { Name = name, Properties = ExampleProperties };

    protected Task<long> PutExampleArtifactTypeAsync(string name = ArtifactTypeName) =>
        Store.PutArtifactTypeAsync(ExampleArtifactType(name));

    protected Task<long> PutExampleExecutionTypeAsync(string name = ExecutionTypeName) =>
        Store.PutExecutionTypeAsync(ExampleExecutionType(name));

    protected Task<long> PutExampleContextTypeAsync(string name = ContextTypeName) =>
        Store.PutContextTypeAsync(ExampleContextType(name));

    protected async Task<long> PutArtifactAsync(Artifact artifact) => Assert.Single(await Store.PutArtifactsAsync([artifact]));

    protected async Task<long> PutExecutionAsync(Execution execution) => Assert.Single(await Store.PutExecutionsAsync([execution]));

    protected async Task<long> PutContextAsync(Context context) => Assert.Single(await Store.PutContextsAsync([context]));

    /// <summary>Puts <paramref name="count"/> artifacts of a new example type in one call and returns their ids.</summary>
    protected async Task<IReadOnlyList<long>> PutArtifactsAsync(int count, string namePrefix = "artifact")
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var artifacts = Enumerable.Range(0, count)
            .Select(i => new Artifact { TypeId = typeId, Name = namePrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .ToList();
        return await Store.PutArtifactsAsync(artifacts);
    }

    protected async Task<Artifact> ReadArtifactAsync(long id) => Assert.Single(await Store.GetArtifactsByIdAsync([id]));

    protected async Task<Execution> ReadExecutionAsync(long id) => Assert.Single(await Store.GetExecutionsByIdAsync([id]));

    protected async Task<Context> ReadContextAsync(long id) => Assert.Single(await Store.GetContextsByIdAsync([id]));

    protected async Task<IReadOnlyList<Artifact>> AllArtifactsAsync() => (await Store.GetArtifactsAsync()).Items;

    protected async Task<IReadOnlyList<Execution>> AllExecutionsAsync() => (await Store.GetExecutionsAsync()).Items;

    protected async Task<IReadOnlyList<Context>> AllContextsAsync() => (await Store.GetContextsAsync()).Items;

    // ------------------------------------------------------------------ assertion helpers

    /// <summary>Now in milliseconds since the epoch, the unit of every MLMD timestamp.</summary>
    protected static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Waits long enough for the store's millisecond clock to move on.</summary>
    protected static Task ClockTickAsync() => Task.Delay(15);

    /// <summary>The part of a message before the first <paramref name="stop"/>, for messages whose tail names a detail the test cannot know.</summary>
    protected static string Prefix(string message, string stop)
    {
        var at = message.IndexOf(stop, StringComparison.Ordinal);
        Assert.True(at > 0, $"'{stop}' does not occur in '{message}'.");
        return message[..at];
    }

    /// <summary>Asserts that a timestamp is in milliseconds and lies between two readings of the clock (with slack for clock granularity).</summary>
    protected static void AssertMillisecondsBetween(long before, long? actual, long after)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, before - 1000, after + 1000);
    }

    protected static void AssertIds(IEnumerable<long> expected, IEnumerable<long?> actual) =>
        Assert.Equal(expected.Select(id => (long?)id), actual);

    protected static void AssertSameIds(IEnumerable<long> expected, IEnumerable<long?> actual) =>
        Assert.Equal(expected.Select(id => (long?)id).Order(), actual.Order());

    protected static void AssertValues(IReadOnlyDictionary<string, MetadataValue> expected, IReadOnlyDictionary<string, MetadataValue> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected) Assert.Equal(value, actual[key]);
    }

    protected static void AssertProperties(IReadOnlyDictionary<string, PropertyType> expected, IReadOnlyDictionary<string, PropertyType> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected) Assert.Equal(value, actual[key]);
    }
}
