namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>POST /v1/compare</c>: cosine similarity of the most prominent face of each image and the verdict at the threshold.</summary>
public sealed record CompareResponse(float Similarity, float Threshold, bool Same, FaceResponse FaceA, FaceResponse FaceB);
