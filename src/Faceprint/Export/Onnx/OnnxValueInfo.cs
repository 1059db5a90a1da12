namespace Faceprint.Export.Onnx;

/// <summary>A graph input or output: a float tensor and its dimensions.</summary>
/// <param name="Name">Value name.</param>
/// <param name="Dims">Dimensions, fixed or named.</param>
public sealed record OnnxValueInfo(string Name, IReadOnlyList<OnnxDim> Dims);
