using Faceprint.Cli.Commands;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Recognition;
using Faceprint.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Tests.EndToEnd;

/// <summary>
/// Faces that fill the frame (ID photos, avatars, cropped data sets): real portraits cropped to their subject's box
/// enlarged by 10 % must still give a face, and the same person.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class TightCropTests(DefaultModelsFixture models, ITestOutputHelper log)
{
    /// <summary>Crops to the subject's box enlarged by 10 % (what <c>eval detect --tight-crops</c> measures) and shrunk by 10 %.</summary>
    [Theory]
    [InlineData(0.10f)]
    [InlineData(-0.1f)]
    public async Task EveryTightlyCroppedPortraitStillGivesItsFace(float margin)
    {
        var portraits = Directory.GetFiles(TestPaths.Fixture("deepface"), "*.jpg").Order(StringComparer.Ordinal).ToList();
        using var noRetry = FaceEngine.Load(DefaultModelsFixture.Paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold,
            new FaceEngineOptions { Threads = 2, RetryWithBorder = false });
        int missedWithoutRetry = 0, foundWithBorder = 0;
        var missed = new List<string>();
        var similarities = new List<float>();
        foreach (var path in portraits)
        {
            var image = await models.Engine.LoadImageAsync(path);
            var original = models.Engine.EmbedSubject(image, path);
            var crop = EvalDetectCommand.TightCrop(image, original.Face.Box, margin);
            if (noRetry.Detect(crop).Count == 0) missedWithoutRetry++;
            var faces = models.Engine.Detect(crop);
            if (faces.Count == 0)
            {
                missed.Add(Path.GetFileName(path));
                continue;
            }
            if (faces[0].FoundWithBorder) foundWithBorder++;
            var cropped = models.Engine.EmbedSubject(crop, path);
            similarities.Add(Embedding.Cosine(original.Embedding, cropped.Embedding));
        }

        log.WriteLine($"margin {margin}: {portraits.Count} crops: {missedWithoutRetry} missed without the border retry, {foundWithBorder} found with it, " +
            $"{missed.Count} missed; crop vs photo cosine mean {similarities.Average():F3}, min {similarities.Min():F3}");
        Assert.True(missed.Count == 0, "no face in the tight crop of: " + string.Join(", ", missed));
        Assert.Equal(missedWithoutRetry, foundWithBorder);
        // Crops inside the box leave the cascade no margin at all: there the retry must be what finds them.
        if (margin < 0) Assert.True(foundWithBorder > 0, "no crop needed the retry");
        // The same face, cropped: far above the default threshold for every portrait.
        Assert.True(similarities.Min() > DefaultModels.EmbedderThreshold + 0.1f, $"min cosine {similarities.Min():F3}");
    }

    [Fact]
    public async Task ALargeFrameFillingFaceIsFoundOnTheDownscaledRetryAndMappedBackToFullSize()
    {
        var photo = await models.Engine.LoadImageAsync(TestPaths.Fixture("face_recognition/obama.jpg"));
        var subject = models.Engine.EmbedSubject(photo, "obama");
        var crop = EvalDetectCommand.TightCrop(photo, subject.Face.Box, -0.1f);
        // Four times larger than the retry's working size: the retry scales it down, detection maps back up.
        var large = Faceprint.Imaging.ImageOps.Resize(crop, crop.Width * 1600 / crop.Height, 1600);
        var faces = models.Engine.Detect(large);
        var face = Assert.Single(faces);
        Assert.True(face.FoundWithBorder);
        // The eyes land inside the upper half of the enlarged crop, where a face filling the frame has them.
        Assert.All(face.Landmarks.Take(2), p => Assert.InRange(p.Y, 0, large.Height / 2f));
        Assert.True(face.Box.Width > large.Width * 0.6f, $"box {face.Box} in a {large.Width}x{large.Height} crop");
        var embedded = models.Engine.EmbedSubject(large, "large crop");
        Assert.True(Embedding.Cosine(subject.Embedding, embedded.Embedding) > DefaultModels.EmbedderThreshold + 0.1f);
    }

    [Fact]
    public async Task APhotoWithoutAFaceStaysWithoutOneAfterTheRetry()
    {
        var image = await models.Engine.LoadImageAsync(TestPaths.Fixture("negative/dogs.jpg"));
        Assert.Empty(models.Engine.Detect(image));
    }
}
