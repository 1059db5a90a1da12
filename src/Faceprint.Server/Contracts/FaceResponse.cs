using Faceprint.Detection;

namespace Faceprint.Server.Contracts;

/// <summary>One detected face: box, detector score in [0, 1], and the five named landmarks (the CLI's JSON shape).</summary>
public sealed record FaceResponse(BoxResponse Box, float Score, LandmarksResponse Landmarks)
{
    /// <summary>The wire form of a detected face.</summary>
    public static FaceResponse From(DetectedFace face)
    {
        var p = face.Landmarks;
        return new FaceResponse(
            new BoxResponse(face.Box.X1, face.Box.Y1, face.Box.X2, face.Box.Y2),
            face.Score,
            new LandmarksResponse(Point(p[0]), Point(p[1]), Point(p[2]), Point(p[3]), Point(p[4])));
    }

    private static PointResponse Point(PointF p) => new(p.X, p.Y);
}
