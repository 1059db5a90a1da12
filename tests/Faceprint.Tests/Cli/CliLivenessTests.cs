using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Gallery;
using Faceprint.Tests.Gallery;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>
/// <c>faceprint liveness</c> and the --liveness / --require-live options of compare and gallery enroll, on fixture
/// photos whose scores were measured (LivenessFixtureTests): facelivt/img2.jpeg and deepface/img1.jpg score about
/// 0.01 (live), deepface/img12.jpg about 0.99 (spoof; a web photo the network rejects).
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliLivenessTests : IDisposable
{
    private static readonly string Home = TestPaths.ModelHome;
    private static readonly string Live = TestPaths.Fixture("facelivt/img2.jpeg");
    private static readonly string LiveToo = TestPaths.Fixture("deepface/img1.jpg");
    private static readonly string Rejected = TestPaths.Fixture("deepface/img12.jpg");
    private readonly TempGalleryDirectory _folder = new();

    /// <summary>Takes the fixture and pulls the anti-spoofing model so runs start without a pull.</summary>
    public CliLivenessTests(DefaultModelsFixture models)
    {
        _ = models;
        _ = AntiSpoofingModels.Path;
    }

    [Fact]
    public async Task LivenessJsonReportsEachFaceWithScoreAndVerdict()
    {
        var run = await CliRun.StartAsync("liveness", Live, "--json", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(0.2, root.GetProperty("threshold").GetDouble(), 1e-6);
        Assert.Equal("FaceAntiSpoofing.tflite", root.GetProperty("model").GetString());
        var face = Assert.Single(root.GetProperty("faces").EnumerateArray());
        var liveness = face.GetProperty("liveness");
        Assert.Equal("live", liveness.GetProperty("verdict").GetString());
        Assert.True(liveness.GetProperty("live").GetBoolean());
        Assert.InRange(liveness.GetProperty("score").GetDouble(), 0, 0.2);
        Assert.InRange(liveness.GetProperty("leaf").GetInt32(), 0, 7);
        // The scored crop is square.
        var crop = liveness.GetProperty("crop");
        Assert.Equal(crop.GetProperty("x2").GetDouble() - crop.GetProperty("x1").GetDouble(), crop.GetProperty("y2").GetDouble() - crop.GetProperty("y1").GetDouble(), 3);
    }

    [Fact]
    public async Task LivenessTextSaysSpoofAndTheThresholdMovesTheVerdict()
    {
        var run = await CliRun.StartAsync("liveness", Rejected, "--home", Home);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"face 0: box .*: spoof \(liveness score 0\.\d{3}, threshold 0\.200, sharpness \d+\)", run.Stdout);

        var lenient = await CliRun.StartAsync("liveness", Rejected, "--threshold", "1.5", "--home", Home);
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        Assert.Contains(": live (liveness score", lenient.Stdout);
    }

    [Fact]
    public async Task CompareWithLivenessReportsBothFaces()
    {
        var run = await CliRun.StartAsync("compare", LiveToo, Live, "--liveness", "--json", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        foreach (var key in new[] { "liveness_a", "liveness_b" })
            Assert.Equal("live", doc.RootElement.GetProperty(key).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task CompareWithoutLivenessLeavesItOut()
    {
        var run = await CliRun.StartAsync("compare", LiveToo, Live, "--json", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.False(doc.RootElement.TryGetProperty("liveness_a", out _));
    }

    [Fact]
    public async Task CompareRequiringLiveRefusesAFaceJudgedSpoof()
    {
        var run = await CliRun.StartAsync("compare", LiveToo, Rejected, "--require-live", "--home", Home);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Matches(@"^faceprint: error: .*img12\.jpg: the face was judged spoof \(liveness score 0\.\d{3}, threshold 0\.200, sharpness \d+\); refused \(--require-live\)$",
            Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task EnrolRequiringLiveWritesNothingWhenOnePhotoIsRefused()
    {
        string db = _folder.File("gallery.db");
        var run = await CliRun.StartAsync("gallery", "enroll", "--db", db, "--person", "alice", LiveToo, Rejected, "--require-live", "--home", Home);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("refused (--require-live)", run.Stderr);
        await using var store = await SqliteGalleryStore.OpenAsync(db, DefaultModels.EmbedderId, DefaultModels.EmbeddingSize);
        Assert.Empty(await store.ListPeopleAsync());
    }

    [Fact]
    public async Task EnrolWithLivenessReportsEachImage()
    {
        string db = _folder.File("gallery.db");
        var run = await CliRun.StartAsync("gallery", "enroll", "--db", db, "--person", "alice", Live, "--liveness", "--json", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var image = Assert.Single(doc.RootElement.GetProperty("images").EnumerateArray());
        Assert.Equal("live", image.GetProperty("liveness").GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("-0.5")]
    [InlineData("NaN")]
    public async Task ANegativeOrNonNumericLivenessThresholdIsBadInput(string value)
    {
        var run = await CliRun.StartAsync("compare", LiveToo, Live, "--liveness-threshold", value, "--home", Home);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--liveness-threshold", run.Stderr);
    }

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();
}
