using Faceprint.Engine;

namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint models pull</c>: where the converted default models are.</summary>
internal sealed record ModelsPullReport(string Home, string Model, string Pnet, string Rnet, string Onet, string Embedder);

/// <summary>JSON of <c>faceprint models list</c>: every converted model file in the cache, and where the default threshold comes from.</summary>
internal sealed record ModelsListReport(string Home, string ModelsDirectory, IReadOnlyList<ModelFileJson> Models, ThresholdCalibration DefaultCalibration);

/// <summary>One cached model file; <c>Problem</c> says why it does not verify (null, and left out, when <c>Verified</c>).</summary>
internal sealed record ModelFileJson(string Path, long SizeBytes, DateTime ModifiedUtc, bool Verified, string? Problem);
