using Xunit;

namespace Cairn.Core.Tests;

public sealed class ValueTests
{
    [Fact]
    public void Each_value_kind_matches_its_property_type()
    {
        Assert.Equal(PropertyType.Int, MetadataValue.Int(1).MatchingPropertyType);
        Assert.Equal(PropertyType.Double, MetadataValue.Double(1.5).MatchingPropertyType);
        Assert.Equal(PropertyType.String, MetadataValue.String("a").MatchingPropertyType);
        Assert.Equal(PropertyType.Struct, MetadataValue.Struct("{}").MatchingPropertyType);
        Assert.Equal(PropertyType.Proto, MetadataValue.Proto("type.googleapis.com/x", [1, 2]).MatchingPropertyType);
        Assert.Equal(PropertyType.Boolean, MetadataValue.Bool(true).MatchingPropertyType);
        Assert.Equal(PropertyType.Unknown, MetadataValue.None.MatchingPropertyType);
    }

    [Fact]
    public void Values_compare_by_kind_and_content()
    {
        Assert.Equal(MetadataValue.Int(3), MetadataValue.Int(3));
        Assert.NotEqual(MetadataValue.Int(1), MetadataValue.Bool(true));
        Assert.Equal(MetadataValue.Proto("u", [1, 2]), MetadataValue.Proto("u", [1, 2]));
        Assert.NotEqual(MetadataValue.Proto("u", [1, 2]), MetadataValue.Proto("u", [1, 3]));
    }

    [Fact]
    public void Reading_the_wrong_member_of_a_value_throws()
    {
        Assert.Throws<InvalidOperationException>(() => MetadataValue.String("x").IntValue);
    }

    [Fact]
    public void System_type_names_map_to_base_types_both_ways()
    {
        Assert.Equal("mlmd.Model", SystemTypes.NameOf(ArtifactBaseType.Model));
        Assert.Equal(ArtifactBaseType.Statistics, SystemTypes.ArtifactBaseTypeOf("mlmd.Statistics"));
        Assert.Equal(ExecutionBaseType.Deploy, SystemTypes.ExecutionBaseTypeOf("mlmd.Deploy"));
        Assert.Null(SystemTypes.NameOf(ExecutionBaseType.Unset));
        Assert.True(SystemTypes.IsSystemTypeName("mlmd.Train"));
        Assert.False(SystemTypes.IsSystemTypeName("mlmd.Other"));
    }

    [Fact]
    public void Every_error_code_creates_its_own_exception_type()
    {
        foreach (var code in Enum.GetValues<CairnErrorCode>())
        {
            var e = CairnException.Create(code, "m");
            Assert.Equal(code, e.Code);
            Assert.Equal("m", e.Message);
        }
    }
}
