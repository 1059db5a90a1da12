namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint models export</c>.</summary>
internal sealed record ModelsExportReport(string Model, string Onnx, string Family, IReadOnlyList<int> InputHwc, long Bytes, long Macs);

/// <summary>JSON of <c>faceprint models convert</c>.</summary>
internal sealed record ModelsConvertReport(string Input, string Output, int StemChannels, int BlockChannels, int FinalChannels, int EmbeddingSize);
