namespace Faceprint.Evaluation.Ijb;

/// <summary>Outcome of an IJB 1:1 verification run.</summary>
/// <param name="Images">Images that entered a template used by some pair.</param>
/// <param name="CachedImages">Of those, how many came from the embedding cache rather than the network in this run.</param>
/// <param name="Templates">Templates used by the pairs.</param>
/// <param name="Pairs">Every template pair with its cosine similarity, in file order.</param>
/// <param name="Roc">The ROC curve of the pairs.</param>
/// <param name="TarAtFar">Operating points at the reported false accept rates (<see cref="IjbEvaluation.ReportedFars"/>).</param>
public sealed record IjbResult(
    int Images,
    int CachedImages,
    int Templates,
    IReadOnlyList<ScoredPair> Pairs,
    RocCurve Roc,
    IReadOnlyList<(double Far, RocPoint Point)> TarAtFar);
