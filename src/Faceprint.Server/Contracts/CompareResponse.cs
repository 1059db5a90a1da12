namespace Faceprint.Server.Contracts;

/// <summary>
/// Answer of <c>POST /v1/compare</c>: cosine similarity of the subject face of each image (chosen by
/// <paramref name="FaceChoice"/>, out of the faces found) and the verdict at the threshold; with <c>liveness=report</c> or
/// <c>require</c> each subject face's anti-spoofing outcome.
/// </summary>
public sealed record CompareResponse(
    float Similarity, float Threshold, bool Same, string FaceChoice, FaceResponse FaceA, int FacesFoundA, FaceResponse FaceB, int FacesFoundB,
    LivenessScoreResponse? LivenessA = null, LivenessScoreResponse? LivenessB = null);
