using Faceprint.Detection;

namespace Faceprint.Server.Contracts;

/// <summary>
/// One detected face: box, detector score in [0, 1], the named landmarks (the CLI's JSON shape), which detector found
/// it (<c>mtcnn</c> or <c>blazeface</c>) and whether only with a border around the photo (a face filling the frame).
/// </summary>
public sealed record FaceResponse(BoxResponse Box, float Score, LandmarksResponse Landmarks, string Detector, bool FoundWithBorder)
{
    /// <summary>The wire form of a detected face.</summary>
    public static FaceResponse From(DetectedFace face)
    {
        var p = face.Landmarks;
        var landmarks = face.Detector == FaceDetectorKind.BlazeFace
            ? new LandmarksResponse(Point(p[0]), Point(p[1]), Point(p[2]), MouthCenter: Point(p[3]), LeftEar: Point(p[4]), RightEar: Point(p[5]))
            : new LandmarksResponse(Point(p[0]), Point(p[1]), Point(p[2]), MouthLeft: Point(p[3]), MouthRight: Point(p[4]));
        return new FaceResponse(
            new BoxResponse(face.Box.X1, face.Box.Y1, face.Box.X2, face.Box.Y2),
            face.Score, landmarks, face.Detector == FaceDetectorKind.BlazeFace ? "blazeface" : "mtcnn", face.FoundWithBorder);
    }

    private static PointResponse Point(PointF p) => new(p.X, p.Y);
}
