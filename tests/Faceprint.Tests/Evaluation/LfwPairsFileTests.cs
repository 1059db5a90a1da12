using Faceprint.Evaluation;

namespace Faceprint.Tests.Evaluation;

public sealed class LfwPairsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faceprint-pairs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "pairs.txt");
        File.WriteAllText(path, text);
        return path;
    }

    private static FaceprintException ParseError(string text) =>
        Assert.Throws<FaceprintException>(() => LfwPairsFile.Parse(new StringReader(text), "/lfw"));

    [Fact]
    public void ParsesFoldsInLfwLayout()
    {
        // 2 folds x 2 pairs per class: per fold, matched lines then mismatched lines; tabs like the real file.
        var path = Write(
            "2\t2\n" +
            "Abel_Pacheco\t1\t4\n" +
            "Akhmed_Zakayev\t1\t3\n" +
            "Abdel_Madi_Shabneh\t1\tDean_Barker\t1\n" +
            "Abdel_Madi_Shabneh 1 Giancarlo_Fisichella 1\n" +
            "Zico 1 2\n" +
            "Zoe_Ball   10   11\n" +
            "A_B 1 C_D 12\n" +
            "E_F 100 G_H 1000\n" +
            "\n");

        var pairs = LfwPairsFile.Load(path, "/data/lfw");

        Assert.Equal(8, pairs.Count);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], pairs.Select(p => p.Fold));
        Assert.Equal([true, true, false, false, true, true, false, false], pairs.Select(p => p.Same));
        Assert.Equal(Path.Combine("/data/lfw", "Abel_Pacheco", "Abel_Pacheco_0001.jpg"), pairs[0].PathA);
        Assert.Equal(Path.Combine("/data/lfw", "Abel_Pacheco", "Abel_Pacheco_0004.jpg"), pairs[0].PathB);
        Assert.Equal(Path.Combine("/data/lfw", "Abdel_Madi_Shabneh", "Abdel_Madi_Shabneh_0001.jpg"), pairs[2].PathA);
        Assert.Equal(Path.Combine("/data/lfw", "Dean_Barker", "Dean_Barker_0001.jpg"), pairs[2].PathB);
        Assert.Equal(Path.Combine("/data/lfw", "Zoe_Ball", "Zoe_Ball_0010.jpg"), pairs[5].PathA);
        Assert.Equal(Path.Combine("/data/lfw", "C_D", "C_D_0012.jpg"), pairs[6].PathB);
        Assert.Equal(Path.Combine("/data/lfw", "G_H", "G_H_1000.jpg"), pairs[7].PathB);
    }

    [Fact]
    public void SingleNumberHeaderIsOneFold()
    {
        var pairs = LfwPairsFile.Parse(new StringReader("2\nA 1 2\nB 3 4\nA 1 B 2\nC 1 D 1\n"), "root", imageExtension: ".png");

        Assert.Equal(4, pairs.Count);
        Assert.All(pairs, p => Assert.Equal(0, p.Fold));
        Assert.Equal([true, true, false, false], pairs.Select(p => p.Same));
        Assert.Equal(Path.Combine("root", "B", "B_0003.png"), pairs[1].PathA);
    }

    [Fact]
    public void ImagePathPadsToFourDigits()
    {
        Assert.Equal(Path.Combine("r", "X_Y", "X_Y_0007.jpg"), LfwPairsFile.ImagePath("r", "X_Y", 7));
        Assert.Equal(Path.Combine("r", "X", "X_12345.jpg"), LfwPairsFile.ImagePath("r", "X", 12345));
    }

    [Theory]
    [InlineData("", "pairs.txt:1:")]
    [InlineData("ten 300\n", "pairs.txt:1: fold count in header 'ten'")]
    [InlineData("10 0\n", "pairs.txt:1: pairs per fold in header '0'")]
    [InlineData("1 2 3\n", "pairs.txt:1: expected a header")]
    [InlineData("1 1\nA 1 2\nB 1 C x\n", "pairs.txt:3: image number 'x' is not a positive integer")]
    [InlineData("1 1\nA 0 2\nB 1 C 1\n", "pairs.txt:2: image number '0'")]
    [InlineData("1 1\nA -1 2\nB 1 C 1\n", "pairs.txt:2: image number '-1'")]
    [InlineData("1 1\nA 1 2 3 4 5\nB 1 C 1\n", "pairs.txt:2: expected 'name i j' or 'name1 i name2 j', found 6 fields")]
    [InlineData("1 1\nA 1\nB 1 C 1\n", "pairs.txt:2: expected 'name i j'")]
    [InlineData("1 1\nA 1 B 2\nC 1 2\n", "pairs.txt:2: expected a matched pair here (fold 1), found a mismatched one")]
    [InlineData("1 1\nA 1 2\n\nC 1 2\n", "pairs.txt:4: expected a mismatched pair here (fold 1), found a matched one")]
    [InlineData("1 1\nA 1 2\nB 1 C 1\nD 1 2\n", "pairs.txt:4: more pairs than the header announces")]
    [InlineData("2 1\nA 1 2\nB 1 C 1\nD 1 2\n", "pairs.txt:4: file ends after 3 pairs, the header announces 4")]
    [InlineData("1 1\n../etc 1 2\nB 1 C 1\n", "pairs.txt:2: '../etc' is not a valid person name")]
    [InlineData("1 1\nA 1 2\nB 1 .. 1\n", "pairs.txt:3: '..' is not a valid person name")]
    public void MalformedFilesReportTheLine(string text, string expectedStart)
    {
        var error = ParseError(text);
        Assert.StartsWith(expectedStart, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ErrorsNameTheFile()
    {
        var path = Write("1 1\nA 1 2\nB one C 1\n");
        var error = Assert.Throws<FaceprintException>(() => LfwPairsFile.Load(path, "/lfw"));
        Assert.StartsWith($"{path}:3:", error.Message);
    }

    [Fact]
    public void MissingFileIsAFaceprintError()
    {
        var error = Assert.Throws<FaceprintException>(() => LfwPairsFile.Load(Path.Combine(_dir, "nope.txt"), "/lfw"));
        Assert.Contains("nope.txt", error.Message);
    }

    [Fact]
    public void FullSizeLfwLayoutAssignsTenFolds()
    {
        var lines = new List<string> { "10\t300" };
        for (var fold = 0; fold < 10; fold++)
        {
            for (var i = 0; i < 300; i++)
                lines.Add($"P{fold}_{i}\t1\t2");
            for (var i = 0; i < 300; i++)
                lines.Add($"P{fold}_{i}\t1\tQ{fold}_{i}\t1");
        }
        var pairs = LfwPairsFile.Parse(new StringReader(string.Join("\n", lines)), "/lfw");

        Assert.Equal(6000, pairs.Count);
        for (var fold = 0; fold < 10; fold++)
        {
            var inFold = pairs.Where(p => p.Fold == fold).ToList();
            Assert.Equal(300, inFold.Count(p => p.Same));
            Assert.Equal(300, inFold.Count(p => !p.Same));
            Assert.All(inFold, p => Assert.Contains($"P{fold}_", p.PathA));
        }
    }
}
