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

/// <summary>
/// The landmarks by name, so consumers need not know a detector's point order. MTCNN gives both mouth corners;
/// BlazeFace gives the mouth centre and the ear tragions instead (absent names are left out).
/// </summary>
internal sealed record LandmarksJson(
    PointJson LeftEye, PointJson RightEye, PointJson Nose,
    PointJson? MouthLeft = null, PointJson? MouthRight = null, PointJson? MouthCenter = null, PointJson? LeftEar = null, PointJson? RightEar = null)
{
    /// <summary>Names the landmarks of a detected face by its detector's point order.</summary>
    public static LandmarksJson From(DetectedFace face)
    {
        var p = face.Landmarks;
        return face.Detector switch
        {
            FaceDetectorKind.Mtcnn when p.Count == 5 => new(At(0), At(1), At(2), MouthLeft: At(3), MouthRight: At(4)),
            FaceDetectorKind.BlazeFace when p.Count == 6 => new(At(0), At(1), At(2), MouthCenter: At(3), LeftEar: At(4), RightEar: At(5)),
            _ => throw new FaceprintException($"a {face.Detector} face with {p.Count} landmarks"),
        };

        PointJson At(int i) => PointJson.From(p[i]);
    }
}

/// <summary>A detected face as the CLI reports it: which detector found it, and whether only with a border around the photo.</summary>
internal sealed record FaceJson(BoxJson Box, float Score, LandmarksJson Landmarks, string Detector, bool FoundWithBorder)
{
    /// <summary>Converts a detected face.</summary>
    public static FaceJson From(DetectedFace face) =>
        new(BoxJson.From(face.Box), face.Score, LandmarksJson.From(face), face.Detector == FaceDetectorKind.BlazeFace ? "blazeface" : "mtcnn", face.FoundWithBorder);
}
