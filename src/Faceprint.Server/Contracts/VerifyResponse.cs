namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>POST /v1/gallery/persons/{person_id}/verify</c>: best similarity over the person's templates and the verdict.</summary>
public sealed record VerifyResponse(string PersonId, long TemplateId, float Similarity, float Threshold, bool IsMatch, FaceResponse? Face);
