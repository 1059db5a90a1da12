using Faceprint.Alignment;
using Faceprint.Detection;
using Faceprint.Imaging;

namespace Faceprint.Tests.Core;

/// <summary>Alignment chooses its points by the detector that found the face; MTCNN faces align exactly as before.</summary>
public sealed class FaceAlignerDetectorTests
{
    private static readonly BoundingBox AnyBox = new(0, 0, 112, 112);

    [Fact]
    public void MouthCentreTemplateIsEyesNoseAndTheMidpointOfTheMouthCorners()
    {
        var t = FaceAligner.Template;
        var m = FaceAligner.MouthCentreTemplate;
        Assert.Equal([t[0], t[1], t[2]], m.Take(3));
        Assert.Equal((t[3].X + t[4].X) / 2, m[3].X, 5);
        Assert.Equal((t[3].Y + t[4].Y) / 2, m[3].Y, 5);
    }

    [Fact]
    public void BlazeFacePointsOnTheTemplateAlignToTheIdentityWhateverTheEars()
    {
        var points = FaceAligner.MouthCentreTemplate.Append(new PointF(5, 60)).Append(new PointF(300, -40)).ToList();
        var face = new DetectedFace(AnyBox, 0.9f, points, FaceDetectorKind.BlazeFace);

        var transform = FaceAligner.TransformFor(face);

        Assert.Equal(1, transform.A, 6);
        Assert.Equal(0, transform.B, 6);
        Assert.Equal(0, transform.Tx, 4);
        Assert.Equal(0, transform.Ty, 4);
    }

    [Fact]
    public void BlazeFacePointsOfATwiceAsLargeShiftedFaceAreScaledBack()
    {
        var points = FaceAligner.MouthCentreTemplate.Select(p => new PointF(2 * p.X + 30, 2 * p.Y - 10)).Concat([new PointF(0, 0), new PointF(0, 0)]).ToList();
        var transform = FaceAligner.TransformFor(new DetectedFace(AnyBox, 0.9f, points, FaceDetectorKind.BlazeFace));
        var (x, y) = transform.Apply(2 * 56f + 30, 2 * 60f - 10);
        Assert.Equal(0.5, transform.A, 6);
        Assert.Equal(56f, x, 3);
        Assert.Equal(60f, y, 3);
    }

    [Fact]
    public void MtcnnFacesAlignFromTheirFiveLandmarksAsBefore()
    {
        PointF[] landmarks = [new(40, 50), new(75, 52), new(57, 70), new(43, 90), new(72, 91)];
        var face = new DetectedFace(AnyBox, 0.99f, landmarks);
        Assert.Equal(FaceDetectorKind.Mtcnn, face.Detector);
        Assert.Equal(FaceAligner.TransformFor(landmarks), FaceAligner.TransformFor(face));
        var image = new RgbImage(120, 120);
        Assert.Equal(FaceAligner.Align(image, landmarks).Pixels, FaceAligner.Align(image, face).Pixels);
    }

    [Fact]
    public void ABlazeFaceFaceWithoutItsKeypointsIsRefused()
    {
        var face = new DetectedFace(AnyBox, 0.9f, [new(1, 2), new(3, 4)], FaceDetectorKind.BlazeFace);
        Assert.Throws<ArgumentException>(() => FaceAligner.TransformFor(face));
    }
}
