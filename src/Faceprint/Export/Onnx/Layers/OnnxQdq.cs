using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>The QDQ pieces int8 layer exporters share: an activation's QuantizeLinear/DequantizeLinear pair and a per-channel int8 weight.</summary>
internal static class OnnxQdq
{
    /// <summary><paramref name="x"/> through QuantizeLinear and DequantizeLinear with <paramref name="q"/> (u8 codes).</summary>
    public static string QuantizeDequantize(OnnxExportContext context, string layer, string x, QuantParams q)
    {
        string scale = context.Constant(layer + ".input_scale", [], [q.Scale]);
        string zero = context.Constant(layer + ".input_zero_point", n => OnnxTensor.UInt8(n, [], [(byte)q.ZeroPoint]));
        string quantized = context.Node("QuantizeLinear", layer + "/quantize", [x, scale, zero]);
        return context.Node("DequantizeLinear", layer + "/dequantize", [quantized, scale, zero]);
    }

    /// <summary>
    /// <paramref name="x"/> (NCHW) through QuantizeLinear and DequantizeLinear per channel (axis 1): channel c with
    /// <paramref name="channels"/>[c] (u8 codes).
    /// </summary>
    public static string QuantizeDequantize(OnnxExportContext context, string layer, string x, IReadOnlyList<QuantParams> channels)
    {
        string scale = context.Constant(layer + ".input_scale", [channels.Count], channels.Select(q => q.Scale).ToArray());
        string zero = context.Constant(layer + ".input_zero_point", n => OnnxTensor.UInt8(n, [channels.Count], channels.Select(q => (byte)q.ZeroPoint).ToArray()));
        string quantized = context.Node("QuantizeLinear", layer + "/quantize", [x, scale, zero], OnnxAttribute.Int("axis", 1));
        return context.Node("DequantizeLinear", layer + "/dequantize", [quantized, scale, zero], OnnxAttribute.Int("axis", 1));
    }

    /// <summary>Symmetric int8 <paramref name="codes"/> of shape <paramref name="dims"/> dequantized per output channel (axis 0).</summary>
    public static string DequantizeWeight(OnnxExportContext context, string layer, long[] dims, sbyte[] codes, float[] scales)
    {
        string weightCodes = context.Constant(layer + ".weight_int8", n => OnnxTensor.Int8(n, dims, codes));
        string weightScales = context.Constant(layer + ".weight_scale", [scales.Length], scales);
        string weightZeros = context.Constant(layer + ".weight_zero_point", n => OnnxTensor.Int8(n, [scales.Length], new sbyte[scales.Length]));
        return context.Node("DequantizeLinear", layer + "/dequantize_weight", [weightCodes, weightScales, weightZeros], OnnxAttribute.Int("axis", 0));
    }
}
