namespace Faceprint.Gallery;

/// <summary>
/// Identification (1:N) and verification (1:1) over a gallery store, turning similarities into match decisions
/// with a caller-chosen threshold. The store stays owned by the caller.
/// </summary>
public sealed class FaceGallery
{
    /// <summary>Wraps <paramref name="store"/>.</summary>
    public FaceGallery(IGalleryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
    }

    /// <summary>The underlying store, for enrolment and housekeeping.</summary>
    public IGalleryStore Store { get; }

    /// <summary>Finds the <paramref name="k"/> enrolled people most similar to a probe embedding.</summary>
    /// <param name="embedding">Probe embedding; normalised before scoring.</param>
    /// <param name="k">How many candidates to return at most.</param>
    /// <param name="threshold">Cosine similarity at or above which a candidate counts as a match.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Candidates, most similar first, each marked with whether it matches.</returns>
    public async Task<IReadOnlyList<IdentificationCandidate>> IdentifyAsync(float[] embedding, int k, float threshold, CancellationToken cancellationToken = default)
    {
        CheckThreshold(threshold);
        var matches = await Store.SearchAsync(embedding, k, cancellationToken).ConfigureAwait(false);
        var candidates = new IdentificationCandidate[matches.Count];
        for (var i = 0; i < candidates.Length; i++)
        {
            var m = matches[i];
            candidates[i] = new IdentificationCandidate(m.PersonId, m.TemplateId, m.Similarity, m.Similarity >= threshold);
        }

        return candidates;
    }

    /// <summary>Checks a probe embedding against one claimed person's templates.</summary>
    /// <param name="personId">The claimed identity.</param>
    /// <param name="embedding">Probe embedding; normalised before scoring.</param>
    /// <param name="threshold">Cosine similarity at or above which the claim is accepted.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="UnknownPersonException">The person has no templates.</exception>
    public async Task<VerificationResult> VerifyAsync(string personId, float[] embedding, float threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personId);
        CheckThreshold(threshold);
        var probe = EmbeddingMath.Normalized(embedding, Store.Dimension, "probe embedding");
        var templates = await Store.GetTemplatesAsync(personId, cancellationToken).ConfigureAwait(false);
        if (templates.Count == 0)
            throw new UnknownPersonException(personId);

        var bestId = templates[0].TemplateId;
        var best = float.NegativeInfinity;
        foreach (var template in templates)
        {
            var similarity = EmbeddingMath.Dot(probe, template.Embedding);
            if (similarity > best)
            {
                best = similarity;
                bestId = template.TemplateId;
            }
        }

        return new VerificationResult(personId, bestId, best, best >= threshold);
    }

    private static void CheckThreshold(float threshold)
    {
        if (!float.IsFinite(threshold) || threshold < -1 || threshold > 1)
            throw new GalleryException($"threshold must be a cosine similarity in [-1, 1], not {threshold}");
    }
}
