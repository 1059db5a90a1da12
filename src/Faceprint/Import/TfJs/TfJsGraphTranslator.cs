using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Import.TfJs;

/// <summary>
/// Translates a TF.js graph model onto engine layers, walking back from one output so heads that are not asked for
/// (age, gender) are never built. Convolutions and matmuls stay pending while constant scales and shifts (BiasAdd,
/// Add/Sub/Mul by a per-channel or scalar constant, FusedBatchNorm) fold into their weights; ReLU, ReLU6 and the PReLU
/// spellings relu(x) + c·(x − |x|) and max(x, 0) + c·min(x, 0) become fused activations; a symmetric spatial Pad before
/// a VALID conv becomes the conv's padding; Square/Sum/Maximum/Rsqrt/Mul becomes an L2 normalisation. Anything else
/// is refused by op and node name, so an unsupported graph fails at load rather than computing something else.
/// </summary>
internal sealed partial class TfJsGraphTranslator
{
    private readonly TfJsModel _model;
    private readonly NetworkBuilder _builder = new();
    private readonly Dictionary<string, int> _readers = [];
    private readonly Dictionary<string, Value> _done = [];
    private int _inputChannels;

    private TfJsGraphTranslator(TfJsModel model)
    {
        _model = model;
        foreach (var node in model.Nodes)
            foreach (string input in node.Inputs)
                _readers[input] = _readers.GetValueOrDefault(input) + 1;
    }

    /// <summary>The network computing node <paramref name="output"/>, with <paramref name="input"/> (if any) applied to the input first.</summary>
    public static Network Translate(TfJsModel model, string output, TfJsInputTransform? input)
    {
        var translator = new TfJsGraphTranslator(model);
        var placeholders = model.Nodes.Where(n => n.Op == "Placeholder").ToList();
        if (placeholders.Count != 1) throw new ModelFormatException($"{model.Name}: the graph has {placeholders.Count} inputs; one image input is supported");
        translator.SetInput(placeholders[0], input);
        var result = translator.Built(model.Node(output).Name);
        if (result.Id == NetworkBuilder.Input) throw new ModelFormatException($"{model.Name}: output '{output}' is the input itself");
        return translator._builder.Build(model.Name, translator._inputChannels, result.Id);
    }

    private void SetInput(TfJsNode placeholder, TfJsInputTransform? transform)
    {
        int[] dims = placeholder.Attributes["shape"]?["shape"]?["dim"] is System.Text.Json.Nodes.JsonArray d
            ? [.. d.Select(x => int.Parse(x!["size"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))]
            : throw new ModelFormatException($"{_model.Name}: input '{placeholder.Name}' has no shape");
        if (dims.Length != 4 || dims[1] <= 0 || dims[2] <= 0 || dims[3] <= 0)
            throw new ModelFormatException($"{_model.Name}: input '{placeholder.Name}' is not an NHWC image of fixed size");
        _inputChannels = dims[3];
        var shape = new TensorShape(1, dims[1], dims[2], dims[3]);
        int id = NetworkBuilder.Input;
        if (transform is not null)
        {
            if (transform.Scale.Length != dims[3] || transform.Shift.Length != dims[3])
                throw new ArgumentException($"the input transform has {transform.Scale.Length} channels; the graph takes {dims[3]}");
            id = _builder.Add(new ChannelAffineLayer("input_transform", id, _builder.NewValue(), transform.Scale, transform.Shift, transform.ReverseChannels));
        }
        _done[placeholder.Name] = new Ready(id, shape);
    }

    /// <summary>What a node has become: a built value, or a linear op still open to folding.</summary>
    private abstract record Value;

    private sealed record Ready(int Id, TensorShape Shape) : Value;

    /// <summary>
    /// A conv, depthwise conv or matmul not yet built. Weight rows are per output channel (canonical layouts
    /// [out, in, k, k], [c, 1, k, k], [out, in]), so folding a per-channel scale scales one row and its bias.
    /// </summary>
    private sealed record Pending(string Node, LinearKind Kind, int Input, TensorShape InputShape, float[] Weight, float[] Bias,
        int Kernel, int Stride, Padding Padding, Activation Activation, bool Relu6) : Value
    {
        public bool Open => Activation.Kind == ActivationKind.None && !Relu6;

        public Pending Affine(float[] scale, float[] shift)
        {
            int rows = Bias.Length, per = Weight.Length / rows;
            var weight = (float[])Weight.Clone();
            var bias = new float[rows];
            for (int o = 0; o < rows; o++)
            {
                for (int j = 0; j < per; j++) weight[o * per + j] *= scale[o];
                bias[o] = Bias[o] * scale[o] + shift[o];
            }
            return this with { Weight = weight, Bias = bias };
        }
    }

    private enum LinearKind { Conv, Depthwise, Dense }

    private Value Emit(string name)
    {
        if (_done.TryGetValue(name, out var done)) return done;
        var node = _model.Node(name);
        var value = node.Op switch
        {
            "Identity" or "StopGradient" or "Squeeze" => Emit(Only(node)),
            "Conv2D" or "_FusedConv2D" => Convolution(node, LinearKind.Conv),
            "DepthwiseConv2dNative" or "FusedDepthwiseConv2dNative" => Convolution(node, LinearKind.Depthwise),
            "MatMul" or "_FusedMatMul" => Dense(node),
            "BiasAdd" => WithConstant(node, Emit(node.Inputs[0]), Constant(node.Inputs[1]), Fold.Shift),
            "Add" or "AddV2" => Add(node),
            "Sub" => Sub(node),
            "Mul" => Mul(node),
            "Relu" => Relu(node),
            "Relu6" => Relu6(node, node.Inputs[0]),
            "Maximum" => Maximum(node),
            "Minimum" => Minimum(node),
            "FusedBatchNorm" or "FusedBatchNormV3" => BatchNorm(node),
            "Mean" => Mean(node),
            "Reshape" => Reshape(node),
            "MaxPool" => MaxPool(node),
            "Const" => throw new ModelFormatException($"{_model.Name}: constant '{name}' is used where a tensor is expected"),
            _ => throw new ModelFormatException($"{_model.Name}: op {node.Op} of node '{name}' is not supported"),
        };
        _done[name] = value;
        return value;
    }

    private static string Only(TfJsNode node) =>
        node.Inputs.Count >= 1 ? node.Inputs[0] : throw new ModelFormatException($"node '{node.Name}' has no input");

    /// <summary>Builds a pending op (with <paramref name="activation"/> fused when it is still open) and returns the built value.</summary>
    private Ready Materialize(Value value, Activation activation)
    {
        if (value is Ready ready)
        {
            if (activation.Kind == ActivationKind.None) return ready;
            // A per-channel identity depthwise conv carries the activation in its epilogue (no separate PReLU layer needed).
            int c = ready.Shape.C;
            return Append(new DepthwiseConv2dLayer($"activation{ready.Id}", ready.Id, _builder.NewValue(), Enumerable.Repeat(1f, c).ToArray(),
                new float[c], 1, 1, Padding.Valid, activation), ready);
        }
        var p = (Pending)value;
        if (activation.Kind != ActivationKind.None && !p.Open) return Materialize(Materialize(p, Activation.None), activation);
        var act = activation.Kind == ActivationKind.None ? p.Activation : activation;
        Layer layer = p.Kind switch
        {
            LinearKind.Conv => new Conv2dLayer(p.Node, p.Input, _builder.NewValue(), p.Weight, p.Bias, p.InputShape.C, p.Kernel, p.Stride, p.Padding, act),
            LinearKind.Depthwise => new DepthwiseConv2dLayer(p.Node, p.Input, _builder.NewValue(), p.Weight, p.Bias, p.Kernel, p.Stride, p.Padding, act),
            _ => new FullyConnectedLayer(p.Node, p.Input, _builder.NewValue(), p.Weight, p.Bias, p.InputShape.PerImage, act),
        };
        var built = Append(layer, new Ready(p.Input, p.InputShape));
        return p.Relu6 ? Append(new Relu6Layer(p.Node + "/relu6", built.Id, _builder.NewValue()), built) : built;
    }

    private Ready Append(Layer layer, Ready input)
    {
        _builder.Add(layer);
        var shape = layer.InferShape([input.Shape]);
        return new Ready(layer.Output, shape);
    }

    private Ready Built(string name) => Materialize(Emit(name), Activation.None);

    /// <summary>Whether <paramref name="name"/>'s value feeds only <paramref name="readers"/> nodes (so folding into it changes nothing else).</summary>
    private bool ReadOnlyBy(string name, int readers)
    {
        int count = _readers.GetValueOrDefault(name);
        var node = _model.Node(name);
        // Identity-like nodes pass their input on unchanged: the value's readers are theirs.
        if (node.Op is "Identity" or "StopGradient" or "Squeeze") return count == readers && ReadOnlyBy(Only(node), 1);
        return count == readers;
    }

    private TfJsTensor? ConstantOrNull(string name)
    {
        var node = _model.Node(name);
        while (node.Op is "Identity") node = _model.Node(Only(node));
        return node.Op == "Const" ? _model.Weights[node.Name] : null;
    }

    private TfJsTensor Constant(string name) =>
        ConstantOrNull(name) ?? throw new ModelFormatException($"{_model.Name}: '{name}' should be a constant");
}
