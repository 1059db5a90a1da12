namespace Faceprint.Server.Contracts;

/// <summary>
/// Answer of an enrolment: the new template ids in upload order and, for images, the face each one came from and (with
/// <c>liveness=report</c> or <c>require</c>) its anti-spoofing outcome.
/// </summary>
public sealed record EnrollResponse(string PersonId, IReadOnlyList<long> TemplateIds, IReadOnlyList<FaceResponse>? Faces,
    IReadOnlyList<LivenessScoreResponse>? Liveness = null);
