namespace Faceprint.Gallery;

/// <summary>One enrolled embedding of a person.</summary>
/// <param name="PersonId">Who the embedding belongs to.</param>
/// <param name="TemplateId">Store-assigned identifier, unique within the gallery.</param>
/// <param name="Embedding">The L2-normalised embedding.</param>
/// <param name="Source">Where it came from (an image path, a note), if recorded.</param>
/// <param name="Created">When it was enrolled.</param>
public sealed record GalleryTemplate(string PersonId, long TemplateId, float[] Embedding, string? Source, DateTimeOffset Created);
