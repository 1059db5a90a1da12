namespace Faceprint.Gallery;

/// <summary>A person found by a gallery search, with their best-scoring template.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="TemplateId">Their template most similar to the query.</param>
/// <param name="Similarity">Cosine similarity of that template to the query, in [-1, 1].</param>
public sealed record GalleryMatch(string PersonId, long TemplateId, float Similarity);
