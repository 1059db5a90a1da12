namespace Faceprint.Cli.Output;

/// <summary>
/// JSON of <c>faceprint eval ijb</c>; the text output is written from the same record. <c>cached_images</c> of
/// <c>images</c> came from the embedding cache; <c>tar_at_far</c> holds the highest TAR whose FAR is at most the target
/// (with fewer than 1/FAR different pairs that means no false accept at all).
/// </summary>
internal sealed record IjbReport(
    string Model,
    string Target,
    string Root,
    int Images,
    int CachedImages,
    int Templates,
    int Pairs,
    int SamePairs,
    int DifferentPairs,
    bool Flip,
    bool NormScore,
    bool DetectorScore,
    string? Cache,
    double Auc,
    double Eer,
    IReadOnlyList<TarAtFarJson> TarAtFar,
    PlotsJson? Plots);
