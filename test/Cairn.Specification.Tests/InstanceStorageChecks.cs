using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Checks of <see cref="IInstanceStorage"/> that every backend runs on a store URI of its own.</summary>
public static class InstanceStorageChecks
{
    /// <summary>Sixteen concurrent creates of one name through two opened stores: exactly one succeeds and one row is left.</summary>
    public static async Task ConcurrentCreatesOfOneNameLeaveOneRowAsync(StoreUri uri)
    {
        await using var first = await CairnStore.OpenAsync(uri);
        await using var second = await CairnStore.OpenAsync(uri);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var storage = (IInstanceStorage)(i % 2 == 0 ? first : second);
            try
            {
                await storage.PutInstanceAsync("runtimes", "race", i.ToString(System.Globalization.CultureInfo.InvariantCulture), create: true);
                return true;
            }
            catch (AlreadyExistsException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, o => o);
        Assert.Single(await ((IInstanceStorage)first).GetInstancesAsync("runtimes"));
    }
}
