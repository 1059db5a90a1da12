using System.Text.Json;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>The CLI's commands on real photos with the real models (the repository's model cache via --home).</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliCommandTests
{
    private static readonly string Home = TestPaths.ModelHome;

    // The fixture faces are hundreds of pixels wide; a large minimum face keeps the detector's pyramid shallow,
    // which matters in the unoptimised Debug build the tests run on.
    private const string MinFace = "120";

    /// <summary>Takes the fixture so the models are pulled and converted before the first run.</summary>
    public CliCommandTests(DefaultModelsFixture models) => _ = models;

    [Fact]
    public async Task CompareJsonOnSamePersonPrintsOneObjectWithTheVerdict()
    {
        var run = await CliRun.StartAsync("compare", TestPaths.Fixture("deepface/img1.jpg"), TestPaths.Fixture("deepface/img2.jpg"), "--json", "--home", Home, "--min-face", MinFace);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        double similarity = root.GetProperty("similarity").GetDouble();
        double threshold = root.GetProperty("threshold").GetDouble();
        Assert.True(root.GetProperty("same").GetBoolean(), run.Stdout);
        Assert.InRange(similarity, threshold, 1.0);
        Assert.Equal(Faceprint.Engine.DefaultModels.EmbedderThreshold, threshold, 1e-6);
        Assert.StartsWith("mobilefacenet-192/", root.GetProperty("model").GetString());
        foreach (var key in new[] { "face_a", "face_b" })
        {
            var box = root.GetProperty(key).GetProperty("box");
            Assert.True(box.GetProperty("x2").GetDouble() > box.GetProperty("x1").GetDouble());
        }
    }

    [Fact]
    public async Task CompareTextStatesTheVerdictOnOneLine()
    {
        var run = await CliRun.StartAsync("compare", TestPaths.Fixture("deepface/img1.jpg"), TestPaths.Fixture("deepface/img24.jpg"), "--home", Home, "--min-face", MinFace);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^different people \(similarity -?\d\.\d{3}, threshold 0\.370\)\r?\n$", run.Stdout);
    }

    [Fact]
    public async Task DetectorPrecisionInt8FindsTheSameFacesWithNearbyLandmarks()
    {
        string photo = TestPaths.Fixture("groups/couple.jpg");
        var fp32 = await CliRun.StartAsync("detect", photo, "--json", "--home", Home, "--min-face", MinFace);
        var int8 = await CliRun.StartAsync("detect", photo, "--json", "--home", Home, "--min-face", MinFace, "--detector-precision", "int8");

        Assert.True(fp32.ExitCode == 0, fp32.ToString());
        Assert.True(int8.ExitCode == 0, int8.ToString());
        static List<(double X, double Y, double EyeDistance)> LeftEyes(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("faces").EnumerateArray().Select(face =>
            {
                var marks = face.GetProperty("landmarks");
                double lx = marks.GetProperty("left_eye").GetProperty("x").GetDouble(), ly = marks.GetProperty("left_eye").GetProperty("y").GetDouble();
                double rx = marks.GetProperty("right_eye").GetProperty("x").GetDouble(), ry = marks.GetProperty("right_eye").GetProperty("y").GetDouble();
                return (lx, ly, Math.Sqrt((rx - lx) * (rx - lx) + (ry - ly) * (ry - ly)));
            }).OrderBy(e => e.Item1).ToList();
        }
        var expected = LeftEyes(fp32.Stdout);
        var actual = LeftEyes(int8.Stdout);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double shift = Math.Sqrt(Math.Pow(actual[i].X - expected[i].X, 2) + Math.Pow(actual[i].Y - expected[i].Y, 2));
            Assert.True(shift < 0.15 * expected[i].EyeDistance, $"face {i}: left eye moved {shift:F1} px of {expected[i].EyeDistance:F1}");
        }
    }

    [Fact]
    public async Task DetectJsonFindsBothFacesOfTheCoupleWithNamedLandmarks()
    {
        using var temp = new TempDirectory();
        string overlay = Path.Combine(temp.Path, "overlay.png");
        var run = await CliRun.StartAsync("detect", TestPaths.Fixture("groups/couple.jpg"), "--json", "--overlay", overlay, "--home", Home, "--min-face", MinFace);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(TestPaths.Fixture("groups/couple.jpg"), root.GetProperty("image").GetString());
        int width = root.GetProperty("width").GetInt32(), height = root.GetProperty("height").GetInt32();
        var faces = root.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(2, faces.Count);
        foreach (var face in faces)
        {
            Assert.InRange(face.GetProperty("score").GetDouble(), 0.7, 1.0);
            var box = face.GetProperty("box");
            Assert.InRange(box.GetProperty("x1").GetDouble(), -1, width);
            Assert.InRange(box.GetProperty("y2").GetDouble(), 0, height + 1);
            var marks = face.GetProperty("landmarks");
            Assert.Equal(["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"], marks.EnumerateObject().Select(p => p.Name));
            Assert.True(marks.GetProperty("left_eye").GetProperty("x").GetDouble() < marks.GetProperty("right_eye").GetProperty("x").GetDouble());
        }
        Assert.True(new FileInfo(overlay).Length > 0);
    }

    [Theory]
    [InlineData("overlay.jpg", new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData("overlay.jpeg", new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData("overlay.png", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })]
    public async Task DetectOverlayIsEncodedAsItsExtensionSays(string name, byte[] magic)
    {
        using var temp = new TempDirectory();
        string overlay = Path.Combine(temp.Path, name);
        var run = await CliRun.StartAsync("detect", TestPaths.Fixture("groups/couple.jpg"), "--overlay", overlay, "--home", Home, "--min-face", MinFace);

        Assert.True(run.ExitCode == 0, run.ToString());
        var bytes = await File.ReadAllBytesAsync(overlay);
        Assert.Equal(magic, bytes[..magic.Length]);
        var image = await Faceprint.Imaging.ImageLoader.LoadAsync(overlay);
        Assert.True(image.Width > 0);
    }

    [Fact]
    public async Task DetectOverlayWithAnUnknownExtensionIsRefusedBeforeAnyWork()
    {
        using var temp = new TempDirectory();
        string overlay = Path.Combine(temp.Path, "overlay.gif");
        var run = await CliRun.StartAsync("detect", TestPaths.Fixture("groups/couple.jpg"), "--overlay", overlay, "--home", Home, "--min-face", MinFace);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("unknown image extension", Assert.Single(run.StderrLines));
        Assert.False(File.Exists(overlay));
    }

    [Fact]
    public async Task AlignWritesOne112PixelPngPerFace()
    {
        using var temp = new TempDirectory();
        var run = await CliRun.StartAsync("align", TestPaths.Fixture("groups/couple.jpg"), "--out", temp.Path, "--home", Home, "--min-face", MinFace);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] expected = [Path.Combine(temp.Path, "couple_face0.png"), Path.Combine(temp.Path, "couple_face1.png")];
        Assert.Equal(expected, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var file in expected)
        {
            var image = await Faceprint.Imaging.ImageLoader.LoadAsync(file);
            Assert.Equal((112, 112), (image.Width, image.Height));
        }
    }

    [Fact]
    public async Task EmbedJsonGivesUnitLength192DimensionalVectors()
    {
        var run = await CliRun.StartAsync("embed", TestPaths.Fixture("deepface/img1.jpg"), "--json", "--home", Home, "--min-face", MinFace);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(192, root.GetProperty("dimension").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("model").GetString()));
        var faces = root.GetProperty("faces").EnumerateArray().ToList();
        Assert.NotEmpty(faces);
        foreach (var face in faces)
        {
            var vector = face.GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToList();
            Assert.Equal(192, vector.Count);
            Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 1e-4);
            Assert.True(face.TryGetProperty("box", out _));
            Assert.True(face.TryGetProperty("score", out _));
        }
    }

    [Fact]
    public async Task ModelsListShowsTheFourConvertedFiles()
    {
        var run = await CliRun.StartAsync("models", "list", "--json", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var names = doc.RootElement.GetProperty("models").EnumerateArray().Select(m => Path.GetFileName(m.GetProperty("path").GetString())).ToHashSet();
        Assert.Superset(new HashSet<string?> { "pnet.fpm", "rnet.fpm", "onet.fpm", "mobilefacenet.fpm" }, names);
    }

    [Fact]
    public async Task ModelsPullWithCachedModelsReportsWhereTheyAre()
    {
        var run = await CliRun.StartAsync("models", "pull", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("mobilefacenet.fpm", run.Stdout);
        Assert.Equal("", run.Stderr); // nothing to pull or convert, so no notices
    }
}
