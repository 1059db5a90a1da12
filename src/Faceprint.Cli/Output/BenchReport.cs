namespace Faceprint.Cli.Output;

/// <summary>One timed stage of <c>faceprint bench</c>: median and 90th percentile per item.</summary>
internal sealed record BenchStage(string Stage, int Batch, int Runs, double MedianMs, double P90Ms, double? MacsPerItem, double? Gflops);

/// <summary>JSON of <c>faceprint bench</c>.</summary>
internal sealed record BenchReport(string Image, int Width, int Height, int Threads, string Model, IReadOnlyList<BenchStage> Stages);
