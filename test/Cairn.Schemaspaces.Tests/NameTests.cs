using Xunit;

namespace Cairn.Schemaspaces.Tests;

public sealed class NameTests
{
    [Theory]
    [InlineData("Kubeflow Pipeline - Fyre", "kubeflow_pipeline_-_fyre")]
    [InlineData("My Runtime", "my_runtime")]
    [InlineData("  padded  ", "a__padded__0")]
    [InlineData("1st image", "a_1st_image")]
    [InlineData("Pandas 2.3.2", "pandas_232")]
    [InlineData("snippet!", "snippet")]
    [InlineData("a", "a")]
    [InlineData("Ünïcode Tést", "ncode_tst")]
    [InlineData("data, science", "data_science")]
    [InlineData("ends-", "ends-_0")]
    public void Names_are_derived_from_display_names_as_Elyra_does(string displayName, string name)
    {
        Assert.Equal(name, MetadataNames.FromDisplayName(displayName));
        Assert.True(MetadataNames.IsValid(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("_-_")]
    public void A_display_name_without_letters_or_digits_derives_no_name(string displayName)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => MetadataNames.FromDisplayName(displayName));
        Assert.Equal(SchemaspaceMessages.NameNotDerivable(displayName), e.Message);
    }

    [Theory]
    [InlineData("kfp", true)]
    [InlineData("a", true)]
    [InlineData("my-runtime_2", true)]
    [InlineData("My-runtime", false)]
    [InlineData("1runtime", false)]
    [InlineData("runtime-", false)]
    [InlineData("a,", false)]
    [InlineData("run,time", false)]
    [InlineData("", false)]
    [InlineData("run time", false)]
    public void Names_are_lower_case_alphanumeric_with_embedded_hyphens_and_underscores_and_no_commas(string name, bool valid) =>
        Assert.Equal(valid, MetadataNames.IsValid(name));
}
