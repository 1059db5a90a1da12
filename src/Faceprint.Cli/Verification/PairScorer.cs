using Faceprint.Evaluation;
using Faceprint.Recognition;

namespace Faceprint.Cli.Verification;

/// <summary>Turns pairs and per-image outcomes into scored pairs for the evaluator.</summary>
internal static class PairScorer
{
    /// <summary>
    /// Cosine similarity of each pair, null when either image has no embedding. The file's folds are kept when it has
    /// at least two; a one-fold file (header "N") gets folds assigned round-robin by the evaluator instead.
    /// </summary>
    public static IReadOnlyList<ScoredPair> Score(IReadOnlyList<PairSpec> pairs, IReadOnlyDictionary<string, ImageOutcome> outcomes)
    {
        bool keepFolds = pairs.Select(p => p.Fold).Distinct().Take(2).Count() >= 2;
        return pairs.Select(p =>
        {
            float[]? a = outcomes[p.PathA].Embedding, b = outcomes[p.PathB].Embedding;
            double? score = a is null || b is null ? null : Embedding.Cosine(a, b);
            return new ScoredPair(score, p.Same, keepFolds ? p.Fold : null);
        }).ToList();
    }
}
