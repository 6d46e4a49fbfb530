namespace Cairn.Specification.Tests;

/// <summary>
/// Opens fresh, empty stores of one backend for the conformance suite and removes whatever it created when disposed.
/// A backend's test project implements it once; every test class of that backend names it as a type argument.
/// </summary>
public interface ITestStoreFactory : IAsyncDisposable
{
    /// <summary>Opens a new store that holds nothing but the nine <c>mlmd.*</c> system types.</summary>
    Task<IMetadataStore> OpenFreshStoreAsync();
}
