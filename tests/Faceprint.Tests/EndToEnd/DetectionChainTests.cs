using Faceprint.Cli.Commands;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

/// <summary>
/// The detection chain on real photos: MTCNN, its border retry, then BlazeFace. The two lfw-dev tight crops here are
/// the ones MTCNN misses even with the border (`faceprint eval detect --tight-crops` on lfw-dev).
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class DetectionChainTests(DefaultModelsFixture models)
{
    private static readonly string[] HardCrops = ["John_Wayne/John_Wayne_0001.jpg", "McGuire_Gibson/McGuire_Gibson_0001.jpg"];

    private static string LfwDev(string relative) => Path.Combine(TestPaths.RepoRoot, "..", "shared", "benchmarks", "lfw-dev", "images", relative);

    [Fact]
    public async Task BlazeFaceFindsTheTightCropsMtcnnMissesAndTheirFacesAreTheSubjects()
    {
        var fallback = await DefaultModels.EnsureBlazeFaceAsync(new FaceprintHome(TestPaths.ModelHome));
        using var chain = FaceEngine.Load(DefaultModelsFixture.Paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold,
            new FaceEngineOptions { Threads = 2 }, fallback);
        foreach (var relative in HardCrops)
        {
            var photo = await models.Engine.LoadImageAsync(LfwDev(relative));
            var subject = models.Engine.EmbedSubject(photo, relative);
            var crop = EvalDetectCommand.TightCrop(photo, subject.Face.Box);
            Assert.True(models.Engine.Detect(crop).Count == 0, $"{relative}: MTCNN with the border retry now finds the crop's face; pick another case");

            var faces = chain.Detect(crop);
            var face = Assert.Single(faces);
            Assert.Equal(FaceDetectorKind.BlazeFace, face.Detector);
            Assert.Equal(6, face.Landmarks.Count);
            // Aligned from BlazeFace's four points, the crop's face is the photo's subject.
            var embedded = chain.EmbedSubject(crop, relative);
            Assert.True(Faceprint.Recognition.Embedding.Cosine(subject.Embedding, embedded.Embedding) > DefaultModels.EmbedderThreshold,
                $"{relative}: cosine {Faceprint.Recognition.Embedding.Cosine(subject.Embedding, embedded.Embedding):F3}");
        }
    }

    [Fact]
    public async Task PhotosMtcnnHandlesNeverReachTheFallback()
    {
        var fallback = await DefaultModels.EnsureBlazeFaceAsync(new FaceprintHome(TestPaths.ModelHome));
        using var chain = FaceEngine.Load(DefaultModelsFixture.Paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold,
            new FaceEngineOptions { Threads = 2 }, fallback);
        var photo = await models.Engine.LoadImageAsync(TestPaths.Fixture("groups/couple.jpg"));
        var faces = chain.Detect(photo);
        Assert.Equal(models.Engine.Detect(photo).Select(f => f.Box), faces.Select(f => f.Box));
        Assert.All(faces, f => Assert.Equal(FaceDetectorKind.Mtcnn, f.Detector));
        Assert.Empty(chain.Detect(await models.Engine.LoadImageAsync(TestPaths.Fixture("negative/dogs.jpg"))));
    }
}
