namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint models import</c>: what was read, what was written, and for which configuration.</summary>
internal sealed record ModelsImportReport(string Checkpoint, string Output, string Model, string Family, int Tensors, long Params);
