namespace Faceprint.Cli.Output;

/// <summary>
/// JSON of <c>faceprint compare</c>: the subject face of each image (which rule chose it, its index among the faces
/// found, best score first, and how many were found) and the verdict; with --liveness each subject face's
/// anti-spoofing outcome.
/// </summary>
internal sealed record CompareReport(
    string ImageA, string ImageB, string Model, float Similarity, float Threshold, bool Same, string FaceChoice,
    FaceJson FaceA, int FaceIndexA, int FacesFoundA, FaceJson FaceB, int FaceIndexB, int FacesFoundB,
    LivenessJson? LivenessA = null, LivenessJson? LivenessB = null);
