namespace Faceprint.Cli.Output;

/// <summary>
/// JSON of <c>faceprint eval pairs</c> and <c>eval bin</c>; the text output is written from the same record so both agree.
/// <c>no_face</c> counts every image without a usable face: no face detected, or failed to load (listed in <c>failed_images</c>).
/// <c>model_threshold</c> is null for a model of the user's own evaluated without --threshold.
/// </summary>
internal sealed record EvalReport(
    string Model,
    string Root,
    string PairsFile,
    int Pairs,
    int EvaluatedPairs,
    int MissingPairs,
    string MissingPolicy,
    int Images,
    int NoFace,
    IReadOnlyList<string> NoFaceImages,
    IReadOnlyList<FailedImageJson> FailedImages,
    double Accuracy,
    double Std,
    double Threshold,
    double BestAccuracy,
    float? ModelThreshold,
    double? ModelThresholdAccuracy,
    double Auc,
    double Eer,
    IReadOnlyList<TarAtFarJson> TarAtFar,
    IReadOnlyList<FoldJson> Folds,
    PlotsJson? Plots)
{
    /// <summary>The threshold pairs are called errors at: the model's own, else the best one found here.</summary>
    public double ErrorThreshold => ModelThreshold ?? Threshold;

    /// <summary>What <c>--errors</c> wrote, null without it.</summary>
    public ErrorsJson? Errors { get; init; }
}

/// <summary>The error analysis written with <c>--errors DIR</c>.</summary>
/// <param name="Threshold">Threshold the pairs were judged at.</param>
/// <param name="Misclassified">Pairs with a score on the wrong side of it.</param>
/// <param name="Unscored">Pairs with an image without a usable face.</param>
/// <param name="Csv">Every such pair, one row each.</param>
/// <param name="Sheets">Contact-sheet PNGs of them (the first pairs, when there are many).</param>
internal sealed record ErrorsJson(double Threshold, int Misclassified, int Unscored, string Csv, IReadOnlyList<string> Sheets);

/// <summary>An image that could not be loaded and why.</summary>
internal sealed record FailedImageJson(string Path, string Reason);

/// <summary>True accept rate at a false accept rate, with the threshold that reaches it.</summary>
internal sealed record TarAtFarJson(double Far, double Tar, double Threshold);

/// <summary>One cross-validation round: threshold chosen on the other folds, accuracy on this one.</summary>
internal sealed record FoldJson(int Fold, double Threshold, double TrainAccuracy, double TestAccuracy, int TestPairs);

/// <summary>Paths of the PNG charts written with --plots.</summary>
internal sealed record PlotsJson(string Roc, string? Histogram);
