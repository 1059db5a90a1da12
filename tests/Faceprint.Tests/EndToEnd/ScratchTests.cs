using Faceprint.Imaging;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

[Collection(DefaultModelsCollection.Name)]
public sealed class ScratchTests(DefaultModelsFixture models)
{
    [Fact]
    public async Task Overlays()
    {
        foreach (var rel in new[] { "groups/selfie-many-people.jpg", "groups/multiface.jpg", "groups/office1.jpg", "groups/2008_001322.jpg", "groups/bald_guys.jpg", "negative/dogs.jpg", "odd/32bit.png", "face_recognition/obama_partial_face.jpg" })
        {
            var image = await models.Engine.LoadImageAsync(TestPaths.Fixture(rel));
            var faces = models.Engine.Detect(image);
            var overlay = Overlay.DrawFaces(image, faces.Select(f => (f.Box.X1, f.Box.Y1, f.Box.X2, f.Box.Y2, (float[]?)f.Landmarks.SelectMany(p => new[] { p.X, p.Y }).ToArray())));
            ImageWriter.SavePng(overlay, Path.Combine(TestPaths.Artifacts, rel.Replace('/', '_') + ".png"));
            Console.WriteLine($"{rel}: {faces.Count} faces");
            if (faces.Count > 0) ImageWriter.SavePng(models.Engine.Align(image, faces[0]), Path.Combine(TestPaths.Artifacts, rel.Replace('/', '_') + ".aligned.png"));
        }
    }
}
