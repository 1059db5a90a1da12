using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

/// <summary>
/// Detection on the fixture photos with default settings. Face counts below were checked by eye on the
/// overlay PNGs this test writes to artifacts/tests/. Two faces in the selfie are more than a third
/// outside the frame and are not expected (a known MTCNN limit, noted in the README).
/// </summary>
[Collection(DefaultModelsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FixtureDetectionTests(DefaultModelsFixture models)
{
    public static TheoryData<string, int> GroupPhotos() => new()
    {
        { "groups/couple.jpg", 2 },
        { "groups/multiface.jpg", 6 },
        { "groups/office1.jpg", 16 },
        { "groups/office4.jpg", 12 },
        { "groups/2007_007763.jpg", 7 },
        { "groups/selfie-many-people.jpg", 5 },
        { "face_recognition/two_people.jpg", 2 },
        { "negative/dogs.jpg", 0 },
    };

    [Theory]
    [MemberData(nameof(GroupPhotos))]
    public async Task FindsEveryFace(string photo, int expected)
    {
        var image = await models.Engine.LoadImageAsync(TestPaths.Fixture(photo));
        var faces = models.Engine.Detect(image);
        WriteOverlay(photo, image, faces);
        Assert.Equal(expected, faces.Count);
        foreach (var face in faces) AssertPlausibleLandmarks(face);
    }

    [Fact]
    public async Task FindsAFaceInEverySinglePortrait()
    {
        var portraits = Directory.GetFiles(TestPaths.Fixture("deepface"), "*.jpg")
            .Concat(Directory.GetFiles(TestPaths.Fixture("facelivt")))
            .Concat(Directory.GetFiles(TestPaths.Fixture("face_recognition/knn_examples/train"), "*", SearchOption.AllDirectories))
            .Append(TestPaths.Fixture("odd/32bit.png"))
            .Order().ToList();
        var missed = new List<string>();
        foreach (var path in portraits)
        {
            var image = await models.Engine.LoadImageAsync(path);
            var faces = models.Engine.Detect(image);
            if (faces.Count == 0) missed.Add(Path.GetRelativePath(TestPaths.Fixtures, path));
            else AssertPlausibleLandmarks(Faceprint.Engine.FaceEngine.MostProminent(faces, image));
        }
        Assert.True(missed.Count == 0, "no face found in: " + string.Join(", ", missed));
        Assert.True(portraits.Count > 70);
    }

    /// <summary>Eyes above nose above mouth, left features left of right ones, all inside the (slightly grown) box.</summary>
    private static void AssertPlausibleLandmarks(DetectedFace face)
    {
        var p = face.Landmarks;
        var b = face.Box;
        Assert.True(p[0].X < p[1].X && p[3].X < p[4].X, $"left/right swapped in {face}");
        float eyes = (p[0].Y + p[1].Y) / 2, mouth = (p[3].Y + p[4].Y) / 2;
        Assert.True(eyes < p[2].Y && p[2].Y < mouth, $"eyes/nose/mouth out of order in {face}");
        float slackX = b.Width * 0.1f, slackY = b.Height * 0.1f;
        foreach (var q in p)
            Assert.True(q.X > b.X1 - slackX && q.X < b.X2 + slackX && q.Y > b.Y1 - slackY && q.Y < b.Y2 + slackY, $"landmark {q} outside {b}");
    }

    private static void WriteOverlay(string photo, RgbImage image, IReadOnlyList<DetectedFace> faces) =>
        ImageWriter.SavePng(
            Overlay.DrawFaces(image, faces),
            Path.Combine(TestPaths.Artifacts, photo.Replace('/', '_') + ".overlay.png"));
}
