using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;

namespace Faceprint.Export.Onnx;

/// <summary>
/// Exports an engine <see cref="Network"/> as an ONNX model (opset 17) that takes the engine's own input buffer:
/// input "input" [N, H, W, C] float (N free), transposed to NCHW inside the graph; outputs "output" (or
/// "output_0", "output_1"… for several) in the engine's NHWC shapes.
/// </summary>
public sealed class OnnxExporter(OnnxExporterRegistry registry)
{
    /// <summary>An exporter for every built-in layer type.</summary>
    public OnnxExporter() : this(OnnxExporterRegistry.CreateDefault()) { }

    /// <summary>The model bytes for inputs of <paramref name="height"/>×<paramref name="width"/> (the batch stays free).</summary>
    public byte[] Export(Network network, int height, int width)
    {
        var sample = new TensorShape(1, height, width, network.InputChannels);
        TensorShape[] shapes;
        try
        {
            shapes = network.InferShapes(sample);
        }
        catch (InvalidOperationException e)
        {
            throw new OnnxExportException($"{network.Name} cannot run on a {height}x{width} input: {e.Message}");
        }
        var graph = new OnnxGraph(network.Name);
        var context = new OnnxExportContext(graph, shapes);
        string input = graph.Unique("input");
        graph.Inputs.Add(new OnnxValueInfo(input, [OnnxDim.Named("N"), OnnxDim.Fixed(height), OnnxDim.Fixed(width), OnnxDim.Fixed(network.InputChannels)]));
        context.SetValue(NetworkBuilder.Input, input, OnnxLayout.Nhwc);

        foreach (var layer in network.Layers) registry.For(layer).Export(layer, context);

        for (int i = 0; i < network.Outputs.Count; i++)
        {
            int value = network.Outputs[i];
            var s = shapes[value];
            string name = network.Outputs.Count == 1 ? "output" : $"output_{i}";
            string output = context.Node("Identity", name, [context.Value(value, OnnxLayout.Nhwc)]);
            graph.Outputs.Add(new OnnxValueInfo(output, [OnnxDim.Named("N"), OnnxDim.Fixed(s.H), OnnxDim.Fixed(s.W), OnnxDim.Fixed(s.C)]));
        }
        return OnnxModelWriter.Write(graph, $"{network.Name} exported by Faceprint; input NHWC {height}x{width}x{network.InputChannels}");
    }
}
