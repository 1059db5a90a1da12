namespace Faceprint.Export.Onnx;

/// <summary>A network cannot be exported to ONNX (a layer type without an exporter, an unexportable setting).</summary>
public sealed class OnnxExportException : FaceprintException
{
    /// <summary>Creates the error.</summary>
    public OnnxExportException(string message) : base(message) { }
}
