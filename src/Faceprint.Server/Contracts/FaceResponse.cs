using Faceprint.Detection;

namespace Faceprint.Server.Contracts;

/// <summary>One detected face: box, detector score in [0, 1], and the five landmarks (left eye, right eye, nose, left and right mouth corner).</summary>
public sealed record FaceResponse(BoxResponse Box, float Score, IReadOnlyList<PointResponse> Landmarks)
{
    /// <summary>The wire form of a detected face.</summary>
    public static FaceResponse From(DetectedFace face) => new(
        new BoxResponse(face.Box.X1, face.Box.Y1, face.Box.X2, face.Box.Y2),
        face.Score,
        face.Landmarks.Select(p => new PointResponse(p.X, p.Y)).ToList());
}
