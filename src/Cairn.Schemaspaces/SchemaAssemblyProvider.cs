using System.Reflection;
using System.Runtime.Loader;

namespace Cairn.Schemaspaces;

/// <summary>
/// Something that attaches code to the schemas it provides: a schemas provider that also implements this interface
/// gives each of its schemas its hooks (Elyra's Metadata subclasses, chosen by schema rather than by class name).
/// </summary>
public interface IMetadataHooksProvider
{
    /// <summary>The hooks of <paramref name="schema"/>'s instances, or null for none.</summary>
    IMetadataHooks? HooksFor(MetadataSchema schema);
}

/// <summary>Chooses the schemas provider for a path given to <c>--schemas</c> or the <c>schemas</c> configuration key.</summary>
public static class SchemasProviders
{
    /// <summary>A <c>.dll</c> is a .NET assembly of schema providers (<see cref="SchemaAssemblyProvider"/>); anything else a directory or file of JSON schemas.</summary>
    public static ISchemasProvider FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new SchemaAssemblyProvider(path) : new SchemaDirectoryProvider(path);
    }
}

/// <summary>
/// Schemas with code, from a .NET assembly: every public concrete class of the assembly that implements
/// <see cref="ISchemasProvider"/> and has a public parameterless constructor is created and asked for its schemas.
/// A provider that also implements <see cref="IMetadataHooksProvider"/> supplies the hooks of its schemas, and its
/// <see cref="ISchemasProvider.MigrateAsync"/> migrates them (Elyra's <c>SchemasProvider.migrate</c>).
/// </summary>
/// <remarks>
/// The assembly is loaded into its own load context with its own dependencies (resolved from its <c>.deps.json</c> or
/// its directory); the assemblies Cairn itself is made of (Cairn.Core, Cairn.Schemaspaces, …) are shared, so the
/// provider's types are the ones Cairn calls. A file that cannot be loaded, or that has no provider, is reported as a
/// problem of its path; the other schema sources still load.
/// </remarks>
public sealed class SchemaAssemblyProvider : ISchemasProvider, IMetadataHooksProvider
{
    private readonly Dictionary<(string Schemaspace, string Schema), ISchemasProvider> _owners = [];
    private readonly object _gate = new();

    /// <summary>A provider of the schemas in the assembly at <paramref name="path"/>.</summary>
    public SchemaAssemblyProvider(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The assembly file.</summary>
    public string Path { get; }

    /// <summary>The providers the assembly holds, by class name (empty until <see cref="GetSchemasAsync"/> ran).</summary>
    public IReadOnlyList<ISchemasProvider> Providers { get; private set; } = [];

    /// <inheritdoc/>
    public async Task<ProvidedSchemas> GetSchemasAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path)) throw new NotFoundException(SchemaspaceMessages.SchemasPathMissing(Path));

        List<ISchemasProvider> providers;
        try
        {
            providers = Load(Path);
        }
#pragma warning disable CA1031 // Whatever keeps one assembly from loading is reported with its path; the other sources still load.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var reason = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            return new ProvidedSchemas([], [new SchemaDocument(Path, null, SchemaspaceMessages.SchemaAssemblyUnloadable(reason.Message))]);
        }

        if (providers.Count == 0) return new ProvidedSchemas([], [new SchemaDocument(Path, null, SchemaspaceMessages.SchemaAssemblyEmpty)]);
        Providers = providers;

        var schemaspaces = new List<SchemaDocument>();
        var schemas = new List<SchemaDocument>();
        foreach (var provider in providers)
        {
            var provided = await provider.GetSchemasAsync(cancellationToken);
            var source = Path + " (" + provider.GetType().FullName + ")";
            schemaspaces.AddRange(provided.Schemaspaces.Select(d => d with { Source = source }));
            foreach (var document in provided.Schemas)
            {
                schemas.Add(document with { Source = source });
                if (document.Json?["schemaspace"]?.GetValue<string>() is { } space && document.Json["name"]?.GetValue<string>() is { } name)
                {
                    lock (_gate) _owners.TryAdd((space.ToUpperInvariant(), name), provider);
                }
            }
        }

        return new ProvidedSchemas(schemaspaces, schemas);
    }

    /// <inheritdoc/>
    public IMetadataHooks? HooksFor(MetadataSchema schema) =>
        Owner(schema) is IMetadataHooksProvider hooks ? hooks.HooksFor(schema) : null;

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> MigrateAsync(MetadataManager manager, MetadataSchema schema, CancellationToken cancellationToken = default) =>
        Owner(schema) is { } owner ? owner.MigrateAsync(manager, schema, cancellationToken) : manager.MigrateDeclaredAsync(schema, cancellationToken);

    private ISchemasProvider? Owner(MetadataSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        lock (_gate) return _owners.GetValueOrDefault((schema.SchemaspaceName.ToUpperInvariant(), schema.Name));
    }

    private static List<ISchemasProvider> Load(string path)
    {
        var assembly = new ProviderLoadContext(path).LoadFromAssemblyPath(path);
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new InvalidOperationException(e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message, e);
        }

        return [.. types
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
                && typeof(ISchemasProvider).IsAssignableFrom(t)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (ISchemasProvider)Activator.CreateInstance(t)!)];
    }

    /// <summary>Loads a provider assembly with its own dependencies, sharing every assembly the host already has.</summary>
    private sealed class ProviderLoadContext(string path) : AssemblyLoadContext("cairn-schemas:" + System.IO.Path.GetFileName(path))
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Cairn's own assemblies (and the framework's) come from the host, so the contract types are the host's.
            if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(assemblyName, a.GetName()))) return null;
            try
            {
                return Default.LoadFromAssemblyName(assemblyName) is { } shared ? null : Resolve(assemblyName);
            }
            catch (FileNotFoundException)
            {
                return Resolve(assemblyName);
            }
        }

        private Assembly? Resolve(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } file ? LoadFromAssemblyPath(file) : null;

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } file ? LoadUnmanagedDllFromPath(file) : IntPtr.Zero;
    }
}
