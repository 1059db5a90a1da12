using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Tests.Detection;

/// <summary>
/// BlazeFace on real fixture photos, checked against MTCNN on the same photos: where the points land, what the
/// crops aligned from them embed to, and faces that fill the frame.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BlazeFaceDetectorTests(DefaultModelsFixture models, ITestOutputHelper output)
{
    private static readonly string[] Portraits =
    [
        "facelivt/img1.jpeg", "facelivt/img2.jpeg", "facelivt/img3.jpeg", "facelivt/jf.jpg", "deepface/img1.jpg", "deepface/img5.jpg",
        "deepface/img10.jpg", "deepface/img20.jpg", "deepface/img30.jpg", "deepface/img40.jpg", "face_recognition/obama.jpg", "face_recognition/biden.jpg",
    ];

    [Theory]
    [InlineData(BlazeFaceModel.FullRange)]
    [InlineData(BlazeFaceModel.ShortRange)]
    public async Task KeypointsLandOnMtcnnsEyesNoseAndMouth(BlazeFaceModel model)
    {
        foreach (string photo in Portraits)
        {
            var image = await models.Engine.LoadImageAsync(TestPaths.Fixture(photo));
            var mtcnn = FaceEngine.MostProminent(models.Engine.Detect(image), image);
            var blaze = BlazeFaceModels.Detector(model).Detect(image).MaxBy(f => Overlap(f.Box, mtcnn.Box));
            Assert.NotNull(blaze);
            Assert.Equal(FaceDetectorKind.BlazeFace, blaze.Detector);
            Assert.Equal(6, blaze.Landmarks.Count);
            Assert.True(Overlap(blaze.Box, mtcnn.Box) > 0.4f, $"{photo}: boxes overlap {Overlap(blaze.Box, mtcnn.Box):F2}");
            var m = mtcnn.Landmarks;
            var b = blaze.Landmarks;
            float eyes = Distance(m[0], m[1]);
            var mouth = new PointF((m[3].X + m[4].X) / 2, (m[3].Y + m[4].Y) / 2);
            // Same image-side convention: BlazeFace's first eye is MTCNN's left (smaller x) eye.
            float[] errors = [Distance(b[0], m[0]), Distance(b[1], m[1]), Distance(b[2], m[2]), Distance(b[3], mouth)];
            output.WriteLine($"{model} {photo}: eye distance {eyes:F1} px, point offsets / eye distance {string.Join(" ", errors.Select(e => (e / eyes).ToString("F3")))}");
            Assert.All(errors, e => Assert.True(e < 0.3f * eyes, $"{photo}: a keypoint is {e / eyes:F2} eye distances from MTCNN's"));
            // Ears lie outside the eyes.
            Assert.True(b[4].X < b[0].X && b[5].X > b[1].X, $"{photo}: ears not outside the eyes");
        }
    }

    [Fact]
    public async Task CropsAlignedFromBlazeFacePointsEmbedLikeMtcnnCrops()
    {
        var cosines = new List<float>();
        foreach (string photo in Portraits)
        {
            var image = await models.Engine.LoadImageAsync(TestPaths.Fixture(photo));
            var mtcnn = FaceEngine.MostProminent(models.Engine.Detect(image), image);
            var blaze = BlazeFaceModels.Detector(BlazeFaceModel.FullRange).Detect(image).MaxBy(f => Overlap(f.Box, mtcnn.Box))!;
            var embeddings = models.Engine.Embed(image, [mtcnn, blaze]);
            cosines.Add(models.Engine.Compare(embeddings[0], embeddings[1]));
        }
        output.WriteLine($"cosine(MTCNN crop, BlazeFace crop): mean {cosines.Average():F3}, min {cosines.Min():F3}");
        // Far above the engine's same-person threshold: the crops are of one face, aligned nearly alike.
        Assert.True(cosines.Average() > 0.85f, $"mean cosine {cosines.Average():F3}");
        Assert.True(cosines.Min() > 0.7f, $"min cosine {cosines.Min():F3}");
    }

    /// <summary>
    /// The short-range model is the one made for close faces: on these crops it scores about 0.9, while the
    /// full-range model scores 0.6–0.8 and misses one under its 0.6 threshold (measured when this test was written).
    /// </summary>
    [Fact]
    public async Task FindsFacesThatFillTheFrame()
    {
        const BlazeFaceModel model = BlazeFaceModel.ShortRange;
        var missed = new List<string>();
        foreach (string photo in Portraits)
        {
            var image = await models.Engine.LoadImageAsync(TestPaths.Fixture(photo));
            var box = FaceEngine.MostProminent(models.Engine.Detect(image), image).Box;
            // The face's own box grown by 10 %: nothing around the face is left.
            float w = box.Width * 1.1f, h = box.Height * 1.1f, cx = (box.X1 + box.X2) / 2, cy = (box.Y1 + box.Y2) / 2;
            int x1 = Math.Max(0, (int)(cx - w / 2)), y1 = Math.Max(0, (int)(cy - h / 2));
            int x2 = Math.Min(image.Width, (int)(cx + w / 2)), y2 = Math.Min(image.Height, (int)(cy + h / 2));
            var tight = ImageOps.Crop(image, x1, y1, x2 - x1, y2 - y1);

            var faces = BlazeFaceModels.Detector(model).Detect(tight);

            output.WriteLine($"{model} {photo} ({tight.Width}x{tight.Height}): {string.Join(", ", faces.Select(f => $"{f.Box.Width:F0} px wide, score {f.Score:F2}"))}");
            if (faces.Count != 1 || faces[0].Box.Width < 0.6f * tight.Width) missed.Add(photo);
        }
        Assert.True(missed.Count == 0, $"{model}: no single frame-filling face in {string.Join(", ", missed)}");
    }

    /// <summary>The full-range model finds the smaller faces of group photos, each where MTCNN finds one (checked by eye on the overlays).</summary>
    [Theory]
    [InlineData("groups/multiface.jpg", 6)]
    [InlineData("groups/couple.jpg", 2)]
    [InlineData("face_recognition/two_people.jpg", 2)]
    public async Task FullRangeFindsTheFacesOfGroupPhotos(string photo, int expected)
    {
        var image = await models.Engine.LoadImageAsync(TestPaths.Fixture(photo));
        var mtcnn = models.Engine.Detect(image);
        var faces = BlazeFaceModels.Detector(BlazeFaceModel.FullRange).Detect(image);
        ImageWriter.SavePng(Overlay.DrawFaces(image, faces), Path.Combine(TestPaths.Artifacts, "blazeface-" + Path.GetFileNameWithoutExtension(photo) + ".png"));
        Assert.Equal(expected, faces.Count);
        Assert.All(faces, f => Assert.True(mtcnn.Any(m => Overlap(m.Box, f.Box) > 0.3f), $"{photo}: BlazeFace box {f.Box} matches no MTCNN face"));
        Assert.True(faces.Zip(faces.Skip(1)).All(p => p.First.Score >= p.Second.Score), "faces are not best score first");
    }

    [Fact]
    public async Task FindsNoFaceWithoutOne()
    {
        var image = await models.Engine.LoadImageAsync(TestPaths.Fixture("negative/dogs.jpg"));
        Assert.Empty(BlazeFaceModels.Detector(BlazeFaceModel.FullRange).Detect(image));
    }

    [Fact]
    public async Task BoxesMapBackThroughTheLetterboxOfAWideImage()
    {
        // The same face in a portrait crop and padded into a wide black canvas must come out at the same pixels.
        var image = await models.Engine.LoadImageAsync(TestPaths.Fixture("facelivt/img1.jpeg"));
        var canvas = new RgbImage(image.Width * 2 + 40, image.Height);
        for (int y = 0; y < image.Height; y++)
            Array.Copy(image.Pixels, y * image.Width * 3, canvas.Pixels, (y * canvas.Width + 40) * 3, image.Width * 3);
        var detector = BlazeFaceModels.Detector(BlazeFaceModel.FullRange);
        var inImage = Assert.Single(detector.Detect(image));
        var inCanvas = Assert.Single(detector.Detect(canvas));
        float tolerance = 0.08f * inImage.Box.Width;
        Assert.InRange(inCanvas.Box.X1 - 40 - inImage.Box.X1, -tolerance, tolerance);
        Assert.InRange(inCanvas.Box.Y1 - inImage.Box.Y1, -tolerance, tolerance);
        Assert.InRange(inCanvas.Landmarks[2].X - 40 - inImage.Landmarks[2].X, -tolerance, tolerance);
    }

    [Fact]
    public async Task ConcurrentCallsGiveTheSameFaces()
    {
        var image = await models.Engine.LoadImageAsync(TestPaths.Fixture("groups/couple.jpg"));
        var detector = BlazeFaceModels.Detector(BlazeFaceModel.FullRange);
        var expected = detector.Detect(image);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => detector.Detect(image))));
        Assert.All(results, r => Assert.Equal(expected.Select(f => f.Box), r.Select(f => f.Box)));
        Assert.NotEmpty(expected);
    }

    [Fact]
    public void RejectsBadOptionsAndCancellation()
    {
        var detector = BlazeFaceModels.Detector(BlazeFaceModel.ShortRange);
        var image = new RgbImage(64, 48);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect(image, new BlazeFaceOptions { MinScore = 1.5f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect(image, new BlazeFaceOptions { SuppressionThreshold = -0.1f }));
        Assert.Throws<OperationCanceledException>(() => detector.Detect(image, null, new CancellationToken(canceled: true)));
        Assert.Empty(detector.Detect(image));
    }

    private static float Distance(PointF a, PointF b) => MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private static float Overlap(BoundingBox a, BoundingBox b)
    {
        float w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        return w <= 0 || h <= 0 ? 0 : w * h / (a.Area + b.Area - w * h);
    }
}
