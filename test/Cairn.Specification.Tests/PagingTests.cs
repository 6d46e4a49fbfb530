using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>
/// List options: page size, ordering, page tokens (mlmd.md §7; §8 items 50–53). Cairn caps a page at 100 rows and
/// returns a token when more rows remain, instead of MLMD's 101-rows-and-no-token quirk (§7, item 52).
/// </summary>
public abstract class PagingTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    /// <summary>Follows page tokens until the last page and returns every page.</summary>
    protected static async Task<List<Page<T>>> ReadPagesAsync<T>(Func<ListOptions, Task<Page<T>>> list, ListOptions options)
    {
        var pages = new List<Page<T>>();
        var current = options;
        for (var guard = 0; guard < 100; guard++)
        {
            var page = await list(current);
            pages.Add(page);
            if (string.IsNullOrEmpty(page.NextPageToken)) return pages;
            Assert.NotEmpty(page.Items);
            current = options with { NextPageToken = page.NextPageToken };
        }

        Assert.Fail("Paging did not end after 100 pages.");
        return pages;
    }

    private static List<long?> Ids<T>(IEnumerable<Page<T>> pages)
        where T : Node => pages.SelectMany(p => p.Items).Select(n => n.Id).ToList();

    private async Task<IReadOnlyList<long>> PutContextsAsync(int count)
    {
        var typeId = await PutExampleContextTypeAsync();
        return await Store.PutContextsAsync(
            Enumerable.Range(0, count).Select(i => new Context { TypeId = typeId, Name = "context_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList());
    }

    private async Task<IReadOnlyList<long>> PutExecutionsAsync(int count)
    {
        var typeId = await PutExampleExecutionTypeAsync();
        return await Store.PutExecutionsAsync(Enumerable.Range(0, count).Select(_ => new Execution { TypeId = typeId }).ToList());
    }

    // ------------------------------------------------------------------ item 50

    [SkippableFact]
    public async Task A_descending_page_of_two_returns_the_newest_ids_and_a_token()
    {
        var ids = await PutArtifactsAsync(3);

        var first = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2, IsAscending = false });

        AssertIds([ids[2], ids[1]], first.Items.Select(a => a.Id));
        Assert.False(string.IsNullOrEmpty(first.NextPageToken));
        var second = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2, IsAscending = false, NextPageToken = first.NextPageToken });
        AssertIds([ids[0]], second.Items.Select(a => a.Id));
        Assert.True(string.IsNullOrEmpty(second.NextPageToken));
    }

    [SkippableFact]
    public async Task An_ascending_page_returns_the_oldest_ids()
    {
        var ids = await PutArtifactsAsync(3);

        var page = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2 });

        AssertIds([ids[0], ids[1]], page.Items.Select(a => a.Id));
        Assert.False(string.IsNullOrEmpty(page.NextPageToken));
    }

    [SkippableFact]
    public async Task A_page_larger_than_the_rows_returns_them_all_without_a_token()
    {
        var ids = await PutArtifactsAsync(3);

        var page = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 3 });

        AssertIds(ids, page.Items.Select(a => a.Id));
        Assert.True(string.IsNullOrEmpty(page.NextPageToken));
        Assert.Empty((await Store.GetExecutionsAsync(new ListOptions { MaxResultSize = 5 })).Items);
    }

    // ------------------------------------------------------------------ item 51

    [SkippableFact]
    public async Task A_page_size_above_one_hundred_is_capped_and_paging_continues()
    {
        var ids = await PutArtifactsAsync(200);
        foreach (var options in new[] { new ListOptions { MaxResultSize = 103, IsAscending = false }, new ListOptions { MaxResultSize = 103, IsAscending = false, OrderBy = OrderByField.Id } })
        {
            var first = await Store.GetArtifactsAsync(options);
            AssertIds(Enumerable.Range(100, 100).Reverse().Select(i => ids[i]), first.Items.Select(a => a.Id));
            Assert.False(string.IsNullOrEmpty(first.NextPageToken));

            var all = Ids(await ReadPagesAsync(o => Store.GetArtifactsAsync(o), options));
            AssertIds(ids.Reverse(), all);
            AssertIds(Enumerable.Range(97, 103).Reverse().Select(i => ids[i]), all.Take(103));
        }
    }

    // ------------------------------------------------------------------ item 52

    [SkippableFact]
    public async Task Contexts_by_type_page_at_one_hundred_and_the_rest_follows()
    {
        var ids = await PutContextsAsync(110);

        var first = await Store.GetContextsByTypeAsync(ContextTypeName, options: new ListOptions { MaxResultSize = 100 });
        Assert.Equal(100, first.Items.Count);
        AssertIds(ids.Take(100), first.Items.Select(c => c.Id));
        Assert.False(string.IsNullOrEmpty(first.NextPageToken));

        var second = await Store.GetContextsByTypeAsync(ContextTypeName, options: new ListOptions { MaxResultSize = 100, NextPageToken = first.NextPageToken });
        AssertIds(ids.Skip(100), second.Items.Select(c => c.Id));
        Assert.True(string.IsNullOrEmpty(second.NextPageToken));
    }

    [SkippableFact]
    public async Task A_page_size_of_102_returns_one_hundred_rows_and_a_token()
    {
        var ids = await PutContextsAsync(110);

        var first = await Store.GetContextsByTypeAsync(ContextTypeName, options: new ListOptions { MaxResultSize = 102 });
        Assert.Equal(100, first.Items.Count);
        Assert.False(string.IsNullOrEmpty(first.NextPageToken));
        var second = await Store.GetContextsByTypeAsync(ContextTypeName, options: new ListOptions { MaxResultSize = 102, NextPageToken = first.NextPageToken });
        AssertIds(ids, first.Items.Concat(second.Items).Select(c => c.Id));
        Assert.True(string.IsNullOrEmpty(second.NextPageToken));
    }

    [SkippableFact]
    public async Task Without_options_every_row_is_returned_in_one_page()
    {
        var ids = await PutContextsAsync(110);

        var byType = await Store.GetContextsByTypeAsync(ContextTypeName);
        AssertIds(ids, byType.Items.Select(c => c.Id));
        Assert.True(string.IsNullOrEmpty(byType.NextPageToken));
        var all = await Store.GetContextsAsync(null);
        AssertIds(ids, all.Items.Select(c => c.Id));
        Assert.True(string.IsNullOrEmpty(all.NextPageToken));
    }

    [SkippableFact]
    public async Task Default_list_options_page_at_twenty_in_id_order()
    {
        var ids = await PutArtifactsAsync(45);

        var first = await Store.GetArtifactsAsync(new ListOptions());
        AssertIds(ids.Take(20), first.Items.Select(a => a.Id));
        Assert.False(string.IsNullOrEmpty(first.NextPageToken));

        var pages = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions());
        Assert.Equal([20, 20, 5], pages.Select(p => p.Items.Count));
        AssertIds(ids, Ids(pages));
    }

    // ------------------------------------------------------------------ item 53: invalid options and tokens

    [SkippableFact]
    public async Task A_page_size_of_zero_or_less_is_an_invalid_argument()
    {
        await PutArtifactsAsync(2);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 0 }));
        Assert.Contains(Messages.MaxResultSizeInvalid(0), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionsAsync(new ListOptions { MaxResultSize = -1 }));
        Assert.Contains(Messages.MaxResultSizeInvalid(-1), e.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetContextsAsync(new ListOptions { MaxResultSize = 0 }));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsByTypeAsync(ArtifactTypeName, options: new ListOptions { MaxResultSize = 0 }));
    }

    [SkippableFact]
    public async Task An_unspecified_order_field_is_an_invalid_argument()
    {
        await PutArtifactsAsync(2);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(new ListOptions { OrderBy = OrderByField.Unspecified }));

        Assert.Contains(Messages.OrderByUnspecified, e.Message);
    }

    [SkippableFact]
    public async Task A_token_reused_with_another_direction_is_an_invalid_argument()
    {
        await PutArtifactsAsync(5);
        var first = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2, IsAscending = false });
        Assert.False(string.IsNullOrEmpty(first.NextPageToken));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(
            new ListOptions { MaxResultSize = 2, IsAscending = true, NextPageToken = first.NextPageToken }));

        Assert.Contains(Messages.PageTokenMismatch, e.Message);
    }

    [SkippableFact]
    public async Task A_token_reused_with_another_order_field_is_an_invalid_argument()
    {
        await PutArtifactsAsync(5);
        var first = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2, OrderBy = OrderByField.CreateTime });
        Assert.False(string.IsNullOrEmpty(first.NextPageToken));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(
            new ListOptions { MaxResultSize = 2, OrderBy = OrderByField.Id, NextPageToken = first.NextPageToken }));
        Assert.Contains(Messages.PageTokenMismatch, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(
            new ListOptions { MaxResultSize = 2, OrderBy = OrderByField.LastUpdateTime, NextPageToken = first.NextPageToken }));
        Assert.Contains(Messages.PageTokenMismatch, e.Message);
    }

    [SkippableFact]
    public async Task A_garbage_token_is_an_invalid_argument()
    {
        await PutArtifactsAsync(5);

        foreach (var token in new[] { "garbage", "!!!not base64!!!", "AAAA", "eyJpZCI6MX0" })
        {
            var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2, NextPageToken = token }));
            Assert.Contains(Messages.PageTokenInvalid, e.Message);
        }

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionsAsync(new ListOptions { NextPageToken = "garbage" }));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetContextsAsync(new ListOptions { NextPageToken = "garbage" }));
    }

    [SkippableFact]
    public async Task The_page_size_may_change_between_pages()
    {
        var ids = await PutArtifactsAsync(6);
        var first = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2 });

        var second = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 3, NextPageToken = first.NextPageToken });

        AssertIds(ids.Skip(2).Take(3), second.Items.Select(a => a.Id));
        Assert.False(string.IsNullOrEmpty(second.NextPageToken));
    }

    // ------------------------------------------------------------------ ordering by time

    [SkippableFact]
    public async Task Ordering_by_create_time_breaks_ties_by_id_in_the_same_direction()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var early = await Store.PutArtifactsAsync([new Artifact { TypeId = typeId }, new Artifact { TypeId = typeId }, new Artifact { TypeId = typeId }]);
        await ClockTickAsync();
        var late = await Store.PutArtifactsAsync([new Artifact { TypeId = typeId }, new Artifact { TypeId = typeId }]);
        var all = early.Concat(late).ToList();

        var ascending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = 2, OrderBy = OrderByField.CreateTime });
        AssertIds(all, Ids(ascending));
        Assert.Equal(3, ascending.Count);

        var descending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = 2, OrderBy = OrderByField.CreateTime, IsAscending = false });
        AssertIds(Enumerable.Reverse(all), Ids(descending));
    }

    [SkippableFact]
    public async Task Ordering_by_last_update_time_follows_updates()
    {
        var ids = await PutArtifactsAsync(5);
        await ClockTickAsync();
        var first = await ReadArtifactAsync(ids[1]);
        await Store.PutArtifactsAsync([first with { Uri = "touched" }]);
        long[] expected = [ids[0], ids[2], ids[3], ids[4], ids[1]];

        var ascending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = 2, OrderBy = OrderByField.LastUpdateTime });
        AssertIds(expected, Ids(ascending));

        var descending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = 2, OrderBy = OrderByField.LastUpdateTime, IsAscending = false });
        AssertIds(expected.Reverse(), Ids(descending));

        var single = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 1, OrderBy = OrderByField.LastUpdateTime, IsAscending = false });
        AssertIds([ids[1]], single.Items.Select(a => a.Id));
    }

    [SkippableFact]
    public async Task Paging_through_rows_with_equal_timestamps_neither_repeats_nor_skips()
    {
        var ids = await PutArtifactsAsync(7);

        foreach (var field in new[] { OrderByField.LastUpdateTime, OrderByField.CreateTime })
        {
            foreach (var size in new[] { 1, 2, 3 })
            {
                var ascending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = size, OrderBy = field });
                AssertIds(ids, Ids(ascending));
                var descending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = size, OrderBy = field, IsAscending = false });
                AssertIds(ids.Reverse(), Ids(descending));
            }
        }
    }

    [SkippableFact]
    public async Task Paging_by_update_time_keeps_ties_in_order_across_page_boundaries()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var early = await Store.PutArtifactsAsync(Enumerable.Range(0, 4).Select(_ => new Artifact { TypeId = typeId }).ToList());
        await ClockTickAsync();
        var late = await Store.PutArtifactsAsync(Enumerable.Range(0, 4).Select(_ => new Artifact { TypeId = typeId }).ToList());
        await ClockTickAsync();
        var touched = await ReadArtifactAsync(early[0]);
        await Store.PutArtifactsAsync([touched with { Uri = "touched" }]);
        var expected = early.Skip(1).Concat(late).Append(early[0]).ToList();

        var ascending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = 3, OrderBy = OrderByField.LastUpdateTime });
        AssertIds(expected, Ids(ascending));
        var descending = await ReadPagesAsync(o => Store.GetArtifactsAsync(o), new ListOptions { MaxResultSize = 3, OrderBy = OrderByField.LastUpdateTime, IsAscending = false });
        AssertIds(Enumerable.Reverse(expected), Ids(descending));
    }

    // ------------------------------------------------------------------ every list call pages

    [SkippableFact]
    public async Task Executions_and_contexts_page_in_both_directions()
    {
        var executions = await PutExecutionsAsync(5);
        var contexts = await PutContextsAsync(5);

        AssertIds(executions, Ids(await ReadPagesAsync(o => Store.GetExecutionsAsync(o), new ListOptions { MaxResultSize = 2 })));
        AssertIds(executions.Reverse(), Ids(await ReadPagesAsync(o => Store.GetExecutionsAsync(o), new ListOptions { MaxResultSize = 2, IsAscending = false })));
        AssertIds(contexts, Ids(await ReadPagesAsync(o => Store.GetContextsAsync(o), new ListOptions { MaxResultSize = 3 })));
        AssertIds(contexts.Reverse(), Ids(await ReadPagesAsync(o => Store.GetContextsAsync(o), new ListOptions { MaxResultSize = 3, IsAscending = false, OrderBy = OrderByField.CreateTime })));
    }

    [SkippableFact]
    public async Task Nodes_by_type_page_within_the_type()
    {
        var ids = await PutArtifactsAsync(5);
        var otherType = await PutExampleArtifactTypeAsync("other_type");
        await Store.PutArtifactsAsync([new Artifact { TypeId = otherType }, new Artifact { TypeId = otherType }]);
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var executions = await Store.PutExecutionsAsync(Enumerable.Range(0, 3).Select(_ => new Execution { TypeId = executionTypeId }).ToList());

        var pages = await ReadPagesAsync(o => Store.GetArtifactsByTypeAsync(ArtifactTypeName, options: o), new ListOptions { MaxResultSize = 2 });
        Assert.Equal(3, pages.Count);
        AssertIds(ids, Ids(pages));
        var executionPages = await ReadPagesAsync(o => Store.GetExecutionsByTypeAsync(ExecutionTypeName, options: o), new ListOptions { MaxResultSize = 2, IsAscending = false });
        AssertIds(executions.Reverse(), Ids(executionPages));
    }

    [SkippableFact]
    public async Task Nodes_by_context_page_within_the_context()
    {
        var artifacts = await PutArtifactsAsync(7);
        var executions = await PutExecutionsAsync(6);
        var contexts = await PutContextsAsync(1);
        var inContext = new[] { 0, 2, 3, 5, 6 };
        await Store.PutAttributionsAndAssociationsAsync(
            inContext.Select(i => new Attribution(contexts[0], artifacts[i])).ToList(),
            inContext.Where(i => i < 6).Select(i => new Association(contexts[0], executions[i])).ToList());

        var artifactPages = await ReadPagesAsync(o => Store.GetArtifactsByContextAsync(contexts[0], o), new ListOptions { MaxResultSize = 2 });
        Assert.Equal(3, artifactPages.Count);
        AssertIds(inContext.Select(i => artifacts[i]), Ids(artifactPages));

        var executionPages = await ReadPagesAsync(o => Store.GetExecutionsByContextAsync(contexts[0], o), new ListOptions { MaxResultSize = 2, IsAscending = false });
        AssertIds(new[] { 5, 3, 2, 0 }.Select(i => executions[i]), Ids(executionPages));
    }

    [SkippableFact]
    public async Task Listing_without_options_returns_more_than_one_hundred_rows()
    {
        var ids = await PutArtifactsAsync(150);

        var page = await Store.GetArtifactsAsync();

        AssertIds(ids, page.Items.Select(a => a.Id));
        Assert.True(string.IsNullOrEmpty(page.NextPageToken));
    }
}
