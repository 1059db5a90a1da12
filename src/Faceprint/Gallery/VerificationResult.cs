namespace Faceprint.Gallery;

/// <summary>Outcome of a 1:1 verification against one enrolled person.</summary>
/// <param name="PersonId">The claimed person.</param>
/// <param name="TemplateId">Their template most similar to the probe.</param>
/// <param name="Similarity">Best cosine similarity over the person's templates.</param>
/// <param name="IsMatch">Whether <paramref name="Similarity"/> reached the threshold.</param>
public sealed record VerificationResult(string PersonId, long TemplateId, float Similarity, bool IsMatch);
