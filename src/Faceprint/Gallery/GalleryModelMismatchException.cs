namespace Faceprint.Gallery;

/// <summary>
/// A gallery was opened for a model other than the one that made its embeddings; similarities across models are
/// meaningless, so the store refuses rather than silently mixing them.
/// </summary>
public sealed class GalleryModelMismatchException : GalleryException
{
    /// <summary>Creates the error naming both models.</summary>
    /// <param name="gallery">Which gallery (a path or a name).</param>
    /// <param name="storedModelId">Model recorded in the gallery.</param>
    /// <param name="storedDimension">Embedding size recorded in the gallery.</param>
    /// <param name="requestedModelId">Model the caller asked for.</param>
    /// <param name="requestedDimension">Embedding size the caller asked for.</param>
    public GalleryModelMismatchException(string gallery, string storedModelId, int storedDimension, string requestedModelId, int requestedDimension)
        : base($"gallery {gallery} holds embeddings of model {storedModelId} ({storedDimension}-d); refusing model {requestedModelId} ({requestedDimension}-d)")
    {
        StoredModelId = storedModelId;
        StoredDimension = storedDimension;
        RequestedModelId = requestedModelId;
        RequestedDimension = requestedDimension;
    }

    /// <summary>Model recorded in the gallery.</summary>
    public string StoredModelId { get; }

    /// <summary>Embedding size recorded in the gallery.</summary>
    public int StoredDimension { get; }

    /// <summary>Model the caller asked for.</summary>
    public string RequestedModelId { get; }

    /// <summary>Embedding size the caller asked for.</summary>
    public int RequestedDimension { get; }
}
