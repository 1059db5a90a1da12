namespace Faceprint.Export.Onnx;

/// <summary>
/// How an engine value (always NHWC in the engine) is laid out as an ONNX tensor. ONNX's Conv and pooling need
/// NCHW; fully connected layers work on [N, features] with the engine's h, w, c flatten order.
/// </summary>
public enum OnnxLayout
{
    /// <summary>[N, H, W, C], the engine's own layout (the graph input).</summary>
    Nhwc,

    /// <summary>[N, C, H, W], what Conv, MaxPool and PRelu-with-[C,1,1]-slopes work on.</summary>
    Nchw,

    /// <summary>[N, H·W·C] flattened in h, w, c order, what Gemm works on.</summary>
    Flat,
}
