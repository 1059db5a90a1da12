namespace Faceprint.Export.Onnx;

/// <summary>One operator application of the graph.</summary>
/// <param name="OpType">ONNX operator (Conv, PRelu, Gemm…) of the default domain.</param>
/// <param name="Name">Unique node name (for diagnostics in ONNX tools).</param>
/// <param name="Inputs">Input value names.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="Attributes">Attributes.</param>
public sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);
