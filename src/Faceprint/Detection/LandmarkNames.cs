namespace Faceprint.Detection;

/// <summary>The names of a detector's landmarks in their order ("left" = smaller x in the image), as reports spell them.</summary>
public static class LandmarkNames
{
    private static readonly IReadOnlyList<string> Mtcnn = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"];
    private static readonly IReadOnlyList<string> BlazeFace = ["left_eye", "right_eye", "nose", "mouth_center", "left_ear", "right_ear"];

    /// <summary>Names of the landmarks <paramref name="detector"/> gives.</summary>
    public static IReadOnlyList<string> For(FaceDetectorKind detector) => detector == FaceDetectorKind.BlazeFace ? BlazeFace : Mtcnn;
}
