namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>POST /v1/gallery/identify</c>: up to k candidates, most similar first; the probe face when an image was sent.</summary>
public sealed record IdentifyResponse(float Threshold, IReadOnlyList<CandidateResponse> Candidates, FaceResponse? Face);
