using System.Globalization;
using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Recognition;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary><c>eval bin</c> on an InsightFace-style validation pack built from the aligned fixture pairs.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliEvalBinTests(DefaultModelsFixture models)
{
    [Fact]
    public async Task APackOfAlignedFixturePairsIsScoredLikeTheEngineScoresItsCrops()
    {
        using var temp = new TempDirectory();
        var (pack, crops, same) = await WritePackAsync(temp.Path);
        string errors = Path.Combine(temp.Path, "errors");

        var run = await CliRun.StartAsync("eval", "bin", pack, "--json", "--errors", errors, "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var r = doc.RootElement;
        Assert.Equal(same.Count, r.GetProperty("pairs").GetInt32());
        Assert.Equal(0, r.GetProperty("no_face").GetInt32());
        Assert.Equal(10, r.GetProperty("folds").GetArrayLength());

        // Reference: the engine's own embeddings of the PNG-decoded crops, scored at the model's threshold.
        var decoded = crops.Select(c => ImageLoader.Decode(ImageWriter.EncodePng(c))).ToList();
        var embeddings = models.Engine.EmbedAligned(decoded);
        var scores = same.Select((_, i) => (double)Embedding.Cosine(embeddings[2 * i], embeddings[2 * i + 1])).ToList();
        double threshold = DefaultModels.EmbedderThreshold;
        int wrong = same.Where((s, i) => scores[i] > threshold != s).Count();
        Assert.Equal(1.0 - (double)wrong / same.Count, r.GetProperty("model_threshold_accuracy").GetDouble(), 9);
        Assert.True(r.GetProperty("accuracy").GetDouble() > 0.9, run.Stdout);

        var report = r.GetProperty("errors");
        Assert.Equal(wrong, report.GetProperty("misclassified").GetInt32());
        var rows = File.ReadAllLines(Path.Combine(errors, "errors.csv"));
        Assert.Equal(wrong + 1, rows.Length);
        foreach (var row in rows.Skip(1))
        {
            var cells = row.Split(',');
            int pair = int.Parse(cells[0], CultureInfo.InvariantCulture);
            Assert.Equal(scores[pair], double.Parse(cells[3], CultureInfo.InvariantCulture), 3);
        }
        if (wrong > 0) Assert.True(new FileInfo(Path.Combine(errors, "errors-01.png")).Length > 0);
    }

    [Fact]
    public async Task ANonPickleFileIsBadInput()
    {
        using var temp = new TempDirectory();
        string pack = Path.Combine(temp.Path, "lfw.bin");
        File.WriteAllText(pack, "not a pickle");
        var run = await CliRun.StartAsync("eval", "bin", pack, "--home", TestPaths.ModelHome);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("lfw.bin", run.Stderr);
    }

    /// <summary>
    /// Aligns the subject of each photo of the fixture pairs and pickles them as InsightFace does (protocol 4:
    /// a list of PNG byte strings, two per pair, and a list of issame flags).
    /// </summary>
    private async Task<(string Path, List<RgbImage> Crops, List<bool> Same)> WritePackAsync(string folder)
    {
        var crops = new List<RgbImage>();
        var same = new List<bool>();
        foreach (var line in File.ReadLines(TestPaths.Fixture("pairs.tsv")).Skip(1).Take(40))
        {
            var cells = line.Split('\t');
            foreach (var relative in cells[..2])
            {
                var image = await models.Engine.LoadImageAsync(TestPaths.Fixture(relative));
                crops.Add(models.Engine.Align(image, models.Engine.EmbedSubject(image, relative).Face));
            }
            same.Add(cells[2] == "true");
        }
        var p = new List<byte> { 0x80, 4, (byte)']', (byte)'(' };
        foreach (var crop in crops)
        {
            var png = ImageWriter.EncodePng(crop);
            p.Add((byte)'B');
            p.AddRange(BitConverter.GetBytes(png.Length));
            p.AddRange(png);
        }
        p.AddRange([(byte)'e', (byte)']', (byte)'(']);
        p.AddRange(same.Select(s => s ? (byte)0x88 : (byte)0x89));
        p.AddRange([(byte)'e', 0x86, (byte)'.']);
        string path = Path.Combine(folder, "pairs.bin");
        await File.WriteAllBytesAsync(path, [.. p]);
        return (path, crops, same);
    }
}
