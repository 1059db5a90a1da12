namespace Faceprint.Cli.Output;

/// <summary>
/// One row of <c>faceprint bench --json</c>: a model at a thread count and batch size, times per face (median and
/// p90, ms) for the engine and ONNX Runtime, their ratio, and achieved GFLOP/s against the machine's peak.
/// Detection rows carry engine times only. Int8 rows (stage "embed int8") compare with ORT on the same QDQ model and
/// add <c>Int8Fp32Ratio</c>, the int8 engine's time over the fp32 engine's in the same run. Rows of a model with a
/// training form (FaceLiVT) add <c>ReparamTrainRatio</c>, the reparameterized network's time over the training form's,
/// the two interleaved. <c>OrtGoal</c>, when set, is the model family's own engine/ORT goal (FaceLiVT, ViT), which
/// replaces the general one at the goal cells.
/// </summary>
internal sealed record BenchRow(
    string Model,
    string Stage,
    int Threads,
    int Batch,
    int Runs,
    double EngineMs,
    double EngineP90Ms,
    double? OrtMs,
    double? OrtP90Ms,
    double? Ratio,
    long? MacsPerFace,
    double? Gflops,
    double? OrtGflops,
    double? PeakGflops,
    double? PeakPercent,
    double? MaxAbsDiff,
    double? Int8Fp32Ratio = null,
    double? ReparamTrainRatio = null,
    double? OrtGoal = null);
