using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Export.Onnx;

/// <summary>
/// What a layer exporter sees: the engine shape of every value, the ONNX tensor currently holding each value and
/// its layout, and helpers to add constants and nodes. Asking for a value in another layout inserts the
/// Transpose/Flatten/Reshape once and reuses it for every later consumer.
/// </summary>
public sealed class OnnxExportContext
{
    private readonly TensorShape[] _shapes;
    private readonly Dictionary<(int Value, OnnxLayout Layout), string> _names = [];
    private readonly Dictionary<int, OnnxLayout> _produced = [];

    internal OnnxExportContext(OnnxGraph graph, TensorShape[] shapes)
    {
        Graph = graph;
        _shapes = shapes;
    }

    /// <summary>The graph being written.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>Engine (NHWC) shape of a value at the export's sample input; the batch stays free in the graph.</summary>
    public TensorShape Shape(int value) => _shapes[value];

    /// <summary>The layout the value's producer wrote it in.</summary>
    public OnnxLayout LayoutOf(int value) =>
        _produced.TryGetValue(value, out var layout) ? layout : throw new InvalidOperationException($"value {value} is used before it is produced");

    /// <summary>Binds an engine value to the ONNX tensor <paramref name="name"/> laid out as <paramref name="layout"/>.</summary>
    public void SetValue(int value, string name, OnnxLayout layout)
    {
        _produced[value] = layout;
        _names[(value, layout)] = name;
    }

    /// <summary>The ONNX tensor holding <paramref name="value"/> in <paramref name="layout"/>, converting if needed.</summary>
    public string Value(int value, OnnxLayout layout)
    {
        if (_names.TryGetValue((value, layout), out var name)) return name;
        var s = Shape(value);
        bool vector = s.H == 1 && s.W == 1; // then h, w, c order and c order coincide: no transpose needed
        string converted = (LayoutOf(value), layout) switch
        {
            (OnnxLayout.Nchw, OnnxLayout.Nhwc) => Node("Transpose", $"value{value}/nhwc", [Value(value, OnnxLayout.Nchw)], OnnxAttribute.Ints("perm", 0, 2, 3, 1)),
            (OnnxLayout.Flat, OnnxLayout.Nhwc) => Reshape(value, "nhwc", OnnxLayout.Flat, [0, s.H, s.W, s.C]),
            (_, OnnxLayout.Nchw) when LayoutOf(value) == OnnxLayout.Flat && vector => Reshape(value, "nchw", OnnxLayout.Flat, [0, s.C, 1, 1]),
            (_, OnnxLayout.Nchw) => Node("Transpose", $"value{value}/nchw", [Value(value, OnnxLayout.Nhwc)], OnnxAttribute.Ints("perm", 0, 3, 1, 2)),
            (OnnxLayout.Nchw, OnnxLayout.Flat) when vector => Node("Flatten", $"value{value}/flat", [Value(value, OnnxLayout.Nchw)], OnnxAttribute.Int("axis", 1)),
            (_, OnnxLayout.Flat) => Node("Flatten", $"value{value}/flat", [Value(value, OnnxLayout.Nhwc)], OnnxAttribute.Int("axis", 1)),
            _ => throw new InvalidOperationException($"no conversion {LayoutOf(value)} → {layout}"),
        };
        _names[(value, layout)] = converted;
        return converted;
    }

    /// <summary>Adds an fp32 initializer and returns its (unique) name.</summary>
    public string Constant(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var tensor = OnnxTensor.Float(Graph.Unique(name), dims, values);
        Graph.Initializers.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds an int64 initializer (shapes, axes) and returns its name.</summary>
    public string Constant(string name, long[] dims, ReadOnlySpan<long> values)
    {
        var tensor = OnnxTensor.Int64(Graph.Unique(name), dims, values);
        Graph.Initializers.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds an initializer built by <paramref name="create"/> from its unique name (uint8/int8 quantization tensors); returns the name.</summary>
    public string Constant(string name, Func<string, OnnxTensor> create)
    {
        var tensor = create(Graph.Unique(name));
        Graph.Initializers.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a single-output node named after <paramref name="name"/>; returns its output's name.</summary>
    public string Node(string opType, string name, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        string output = Graph.Unique(name);
        Graph.Nodes.Add(new OnnxNode(opType, output, inputs, [output], attributes));
        return output;
    }

    /// <summary>
    /// Applies a fused engine activation to <paramref name="input"/> (channels on axis 1 for NCHW and flat
    /// vectors, last for NHWC); returns the input itself for none.
    /// </summary>
    public string Activation(string name, string input, Activation activation, OnnxLayout layout, int channels) => activation.Kind switch
    {
        ActivationKind.None => input,
        ActivationKind.Relu => Node("Relu", name + "/relu", [input]),
        ActivationKind.PRelu => Node("PRelu", name + "/prelu",
            [input, Constant(name + ".alpha", layout == OnnxLayout.Nchw ? [channels, 1, 1] : [channels], activation.Slopes)]),
        ActivationKind.Gelu => Layers.OnnxComposites.Gelu(this, name + "/gelu", input),
        _ => throw new OnnxExportException($"{name}: activation {activation.Kind} has no ONNX export"),
    };

    /// <summary>
    /// ONNX pads [top, left, bottom, right]: the explicit amount on every side for symmetric padding, otherwise the
    /// engine's leading pad and just enough trailing pad for its output size (TF SAME: the odd pixel goes after).
    /// </summary>
    public static long[] Pads(Padding padding, TensorShape input, int kernel, int stride)
    {
        if (padding.Mode == PaddingMode.Explicit) return [padding.Amount, padding.Amount, padding.Amount, padding.Amount];
        var (outH, top) = padding.Resolve(input.H, kernel, stride);
        var (outW, left) = padding.Resolve(input.W, kernel, stride);
        long bottom = Math.Max(0, (outH - 1) * stride + kernel - input.H - top);
        long right = Math.Max(0, (outW - 1) * stride + kernel - input.W - left);
        return [top, left, bottom, right];
    }

    private string Reshape(int value, string suffix, OnnxLayout from, long[] shape) =>
        Node("Reshape", $"value{value}/{suffix}", [Value(value, from), Constant($"value{value}/{suffix}.shape", [shape.Length], shape)]);
}
