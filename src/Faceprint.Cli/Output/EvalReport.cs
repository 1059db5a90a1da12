namespace Faceprint.Cli.Output;

/// <summary>
/// JSON of <c>faceprint eval pairs</c>; the text output is written from the same record so both agree.
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
    PlotsJson? Plots);

/// <summary>An image that could not be loaded and why.</summary>
internal sealed record FailedImageJson(string Path, string Reason);

/// <summary>True accept rate at a false accept rate, with the threshold that reaches it.</summary>
internal sealed record TarAtFarJson(double Far, double Tar, double Threshold);

/// <summary>One cross-validation round: threshold chosen on the other folds, accuracy on this one.</summary>
internal sealed record FoldJson(int Fold, double Threshold, double TrainAccuracy, double TestAccuracy, int TestPairs);

/// <summary>Paths of the PNG charts written with --plots.</summary>
internal sealed record PlotsJson(string Roc, string? Histogram);
