namespace Faceprint.Detection;

/// <summary>A point in image pixel coordinates.</summary>
public readonly record struct PointF(float X, float Y);

/// <summary>An axis-aligned box in image pixel coordinates (x2, y2 exclusive edges).</summary>
public readonly record struct BoundingBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary>Width.</summary>
    public float Width => X2 - X1;

    /// <summary>Height.</summary>
    public float Height => Y2 - Y1;

    /// <summary>Area (0 for degenerate boxes).</summary>
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);
}

/// <summary>
/// One detected face: box, detector confidence in [0, 1], the detector's landmarks, and which detector found it.
/// <see cref="FaceDetectorKind.Mtcnn"/>: five landmarks, left eye, right eye, nose tip, left mouth corner, right mouth
/// corner ("left" = smaller x in an upright frontal face). <see cref="FaceDetectorKind.BlazeFace"/>: six keypoints,
/// left eye, right eye, nose tip, mouth centre, left ear tragion, right ear tragion, with "left" in the same image sense
/// (MediaPipe names them from the subject's side: its right eye is this left eye).
/// </summary>
public sealed record DetectedFace(BoundingBox Box, float Score, IReadOnlyList<PointF> Landmarks, FaceDetectorKind Detector = FaceDetectorKind.Mtcnn)
{
    /// <summary>Found only on the retry with a black border around the photo (<see cref="FramePadding"/>): a face filling the frame.</summary>
    public bool FoundWithBorder { get; init; }
}
