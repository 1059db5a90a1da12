using Faceprint.Models.Zoo;

namespace Faceprint.Tests.Models.Zoo;

/// <summary>The model-set spelling --model takes: members, score weights and refusals.</summary>
public sealed class ZooEnsembleTests
{
    [Fact]
    public void Parses_members_and_weights_case_insensitively()
    {
        var set = ZooEnsemble.TryParse("Default*0.75 + faceres*0.25")!;
        Assert.Equal([("default", 0.75f), ("faceres", 0.25f)], set.Members);
        Assert.Equal("default*0.75+faceres*0.25", set.Name);
        Assert.Equal("ensemble:default*0.75+faceres*0.25", set.EmbedderId);
    }

    [Fact]
    public void Weight_defaults_to_one()
    {
        Assert.Equal([("default", 1f), ("mobileface", 1f)], ZooEnsemble.TryParse("default+mobileface")!.Members);
    }

    [Fact]
    public void A_single_name_is_not_a_set()
    {
        Assert.Null(ZooEnsemble.TryParse("faceres"));
    }

    [Theory]
    [InlineData("default+nope", "'nope'")]
    [InlineData("default+faceres*0", "positive")]
    [InlineData("default+faceres*x", "positive")]
    [InlineData("default+faceres*1*2", "positive")]
    [InlineData("default+default", "twice")]
    public void Bad_sets_are_refused_with_the_reason(string spec, string reason)
    {
        var e = Assert.Throws<FaceprintException>(() => ZooEnsemble.TryParse(spec));
        Assert.Contains(reason, e.Message);
    }
}
