using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

/// <summary>
/// Verification on the labelled fixture pairs (../shared/fixtures/pairs.tsv) with the default models and
/// their default threshold, which comes from the model package's own decision rule, not from these photos.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FixturePairsTests(DefaultModelsFixture models)
{
    public static TheoryData<string, string, bool> Pairs()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var line in File.ReadLines(TestPaths.Fixture("pairs.tsv")).Skip(1))
        {
            var cells = line.Split('\t');
            if (cells.Length == 3) data.Add(cells[0], cells[1], bool.Parse(cells[2]));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task PairIsJudgedCorrectly(string a, string b, bool same)
    {
        var result = await models.Engine.CompareAsync(TestPaths.Fixture(a), TestPaths.Fixture(b));
        Console.WriteLine($"PAIR\t{a}\t{b}\t{same}\t{result.Similarity:F4}");
        Assert.True(result.Same == same,
            $"{a} vs {b}: similarity {result.Similarity:F3}, threshold {result.Threshold:F3}, expected {(same ? "same" : "different")}");
    }
}
