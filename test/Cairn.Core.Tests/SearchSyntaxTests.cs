using Cairn.Query;
using Xunit;

namespace Cairn.Core.Tests;

/// <summary>The search text syntax: what it means, that no text can reach a backend as syntax, and the highlights.</summary>
public sealed class SearchSyntaxTests
{
    [Theory]
    [InlineData("mnist", "(mnist)")]
    [InlineData("MNIST Train", "(mnist)(train)")]
    [InlineData("\"imagenet training\"", "(imagenet training)")]
    [InlineData("train.txt", "(train txt)")]
    [InlineData("resn*", "(resn*)")]
    [InlineData("path/to*", "(path to*)")]
    [InlineData("\"path/to\"*", "(path to*)")]
    [InlineData("mnist resnet OR vit", "(mnist)(resnet|vit)")]
    [InlineData("a OR b OR c -d -\"e f\"", "(a|b|c)-d-e f")]
    [InlineData("cats & (dogs) ^x: NEAR( | !", "(cats)(dogs)(x)(near)")]
    [InlineData("or and not", "(or)(and)(not)")]
    [InlineData("ORANGE", "(orange)")]
    public void Search_text_parses_to_groups_of_terms(string text, string expected) =>
        Assert.Equal(expected, SearchSyntax.Describe(SearchSyntax.Parse(text)));

    [Fact]
    public void A_star_inside_a_quoted_phrase_is_refused_with_its_column()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => SearchSyntax.Parse("\"path/to*\""));
        Assert.Equal(Messages.SearchStarNotAtEnd(8), e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_text_matches_everything(string? text) => Assert.Null(SearchSyntax.Parse(text));

    [Fact]
    public void Every_token_holds_only_letters_and_digits_whatever_the_text()
    {
        var random = new Random(20250101);
        const string alphabet = "ab1 \"*-()[]{}:^'|&!<>~.,;/\\ORNEAR\t\u00e9\u4e2d";
        for (var i = 0; i < 2000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 30)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            ParsedSearch? parsed;
            try
            {
                parsed = SearchSyntax.Parse(text);
            }
            catch (InvalidArgumentException)
            {
                continue;
            }

            if (parsed is null) continue;
            foreach (var term in parsed.Positive.Concat(parsed.None))
                Assert.All(term.Tokens, t => Assert.True(t.Length > 0 && t.All(char.IsLetterOrDigit), $"'{t}' from '{text}'"));
        }
    }

    [Fact]
    public void Highlights_mark_words_phrases_and_prefixes_in_every_searched_field()
    {
        var node = new Artifact
        {
            Name = "mnist-train",
            Type = "DataSet",
            Uri = "/lake/mnist/train.txt",
            ExternalId = "x-1",
            Properties = new Dictionary<string, MetadataValue> { ["note"] = MetadataValue.String("Training set of MNIST"), ["rows"] = MetadataValue.Int(5) },
            Tags = ["gold"],
            Owners = ["andy"],
        };

        var highlights = SearchHighlighter.For(node, SearchSyntax.Parse("mnist train* \"train txt\" gold"));

        Assert.Equal(
            // Matched words with one separator between them are marked as one run.
            ["name: [mnist-train]", "uri: /lake/[mnist/train.txt]", "properties.note: [Training] set of [MNIST]", "tags: [gold]"],
            highlights.Select(h => h.Field + ": " + h.Marked()));
    }

    [Fact]
    public void A_long_value_is_cut_around_its_first_match()
    {
        var text = new string('a', 300) + " needle " + new string('b', 300);
        var node = new Artifact { Properties = new Dictionary<string, MetadataValue> { ["p"] = MetadataValue.String(text) } };

        var highlight = Assert.Single(SearchHighlighter.For(node, SearchSyntax.Parse("needle")));

        Assert.True(highlight.Text.Length <= SearchHighlighter.MaxExcerpt + 2);
        Assert.StartsWith("…", highlight.Text, StringComparison.Ordinal);
        Assert.EndsWith("…", highlight.Text, StringComparison.Ordinal);
        Assert.Contains("[needle]", highlight.Marked(), StringComparison.Ordinal);
    }
}
