namespace Faceprint.Gallery;

/// <summary>One candidate of a 1:N identification, with the threshold decision.</summary>
/// <param name="PersonId">The candidate person.</param>
/// <param name="TemplateId">Their template most similar to the probe.</param>
/// <param name="Similarity">Cosine similarity of that template to the probe.</param>
/// <param name="IsMatch">Whether <paramref name="Similarity"/> reached the threshold.</param>
public sealed record IdentificationCandidate(string PersonId, long TemplateId, float Similarity, bool IsMatch);
