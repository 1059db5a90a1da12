using Faceprint.Detection;

namespace Faceprint.Cli.Output;

/// <summary>A face box in pixels, (x1, y1) top-left to (x2, y2) bottom-right.</summary>
internal sealed record BoxJson(float X1, float Y1, float X2, float Y2)
{
    /// <summary>Converts a library box.</summary>
    public static BoxJson From(BoundingBox box) => new(box.X1, box.Y1, box.X2, box.Y2);
}

/// <summary>A point in pixels.</summary>
internal sealed record PointJson(float X, float Y)
{
    /// <summary>Converts a library point.</summary>
    public static PointJson From(PointF p) => new(p.X, p.Y);
}

/// <summary>The five landmarks by name, so consumers need not know the detector's point order.</summary>
internal sealed record LandmarksJson(PointJson LeftEye, PointJson RightEye, PointJson Nose, PointJson MouthLeft, PointJson MouthRight)
{
    /// <summary>Names the landmarks of a detected face (order: left eye, right eye, nose, mouth left, mouth right).</summary>
    public static LandmarksJson From(IReadOnlyList<PointF> points)
    {
        if (points.Count != 5)
            throw new FaceprintException($"expected 5 face landmarks, the detector gave {points.Count}");
        return new(PointJson.From(points[0]), PointJson.From(points[1]), PointJson.From(points[2]), PointJson.From(points[3]), PointJson.From(points[4]));
    }
}

/// <summary>A detected face as the CLI reports it.</summary>
internal sealed record FaceJson(BoxJson Box, float Score, LandmarksJson Landmarks)
{
    /// <summary>Converts a detected face.</summary>
    public static FaceJson From(DetectedFace face) => new(BoxJson.From(face.Box), face.Score, LandmarksJson.From(face.Landmarks));
}
