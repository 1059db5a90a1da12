namespace Faceprint.Server.Contracts;

/// <summary>One identification candidate: the person, their best template, its similarity and whether it reaches the threshold.</summary>
public sealed record CandidateResponse(string PersonId, long TemplateId, float Similarity, bool IsMatch);
