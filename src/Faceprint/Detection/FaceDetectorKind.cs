namespace Faceprint.Detection;

/// <summary>Which detector found a face; it decides what the face's landmarks are and how the face is aligned.</summary>
public enum FaceDetectorKind
{
    /// <summary>The MTCNN cascade: five landmarks (eyes, nose tip, mouth corners).</summary>
    Mtcnn,

    /// <summary>MediaPipe's BlazeFace: six keypoints (eyes, nose tip, mouth centre, ear tragions).</summary>
    BlazeFace,
}
