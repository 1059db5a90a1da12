using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Import.TfLite;

/// <summary>
/// Translates a float TFLite graph op by op into an engine <see cref="Network"/>, for models whose structure is
/// taken from the file rather than from a family definition (MediaPipe's BlazeFace detectors, the default package's
/// FaceAntiSpoofing tree network). Supported: CONV_2D, DEPTHWISE_CONV_2D (multiplier 1), FULLY_CONNECTED, ADD, MUL
/// and SUB of a constant, RELU, LEAKY_RELU, MAX_POOL_2D, AVERAGE_POOL_2D, channel PAD, RESIZE_BILINEAR, RESHAPE,
/// CONCATENATION, an identity STRIDED_SLICE, GREATER_EQUAL / LESS against a constant with the CAST of their result
/// to float, and DEQUANTIZE of float16 constants. A RELU or LEAKY_RELU that is a conv's or a fully connected layer's
/// only reader is fused into it. Anything else is refused by name, so an unsupported file fails at load instead of
/// computing something else.
/// </summary>
internal sealed class TfLiteGraphTranslator
{
    private const int FusedNone = 0, FusedRelu = 1;

    private readonly TfLiteModel _model;
    private readonly NetworkBuilder _builder = new();
    private readonly Dictionary<int, int> _values = [];
    private readonly Dictionary<int, TfLiteOperator> _producers = [];
    private readonly int[] _readers;
    private readonly HashSet<TfLiteOperator> _fused = [];

    private TfLiteGraphTranslator(TfLiteModel model)
    {
        _model = model;
        _readers = new int[model.Tensors.Count];
        foreach (var op in model.Operators)
        {
            foreach (int o in op.Outputs) _producers[o] = op;
            foreach (int i in op.Inputs)
                if (i >= 0) _readers[i]++;
        }
        foreach (int o in model.Outputs) _readers[o]++;
    }

    /// <summary>The network computing <paramref name="model"/>'s outputs, in the file's output order.</summary>
    public static Network Translate(TfLiteModel model, string name)
    {
        if (model.Inputs.Length != 1) throw new ModelFormatException($"{name}: the graph has {model.Inputs.Length} inputs; one image input is supported");
        var input = model.Tensors[model.Inputs[0]];
        if (input.Shape.Length != 4) throw new ModelFormatException($"{name}: input '{input.Name}' is not an NHWC image tensor");
        var translator = new TfLiteGraphTranslator(model);
        translator._values[input.Index] = NetworkBuilder.Input;
        foreach (var op in model.Operators) translator.Append(op);
        var outputs = model.Outputs.Select(translator.Value).ToArray();
        return translator._builder.Build(name, input.Shape[3], outputs);
    }

    private void Append(TfLiteOperator op)
    {
        if (_fused.Contains(op)) return;
        string name = _model.Tensors[op.Outputs[0]].Name;
        int output = op.Op switch
        {
            // Weights are read through their DEQUANTIZE when a conv uses them; nothing runs at inference time.
            TfLiteOp.Dequantize => -1,
            TfLiteOp.Conv2D => Conv(op, name),
            TfLiteOp.DepthwiseConv2D => Depthwise(op, name),
            TfLiteOp.FullyConnected => Dense(op, name),
            TfLiteOp.Relu => _builder.Add(new ReluLayer(name, Value(op.Inputs[0]), _builder.NewValue())),
            TfLiteOp.LeakyRelu => _builder.Add(new LeakyReluLayer(name, Value(op.Inputs[0]), _builder.NewValue(), op.Options.Alpha)),
            TfLiteOp.Mul => WithActivation(op, name, _builder.Add(new MultiplyLayer(name, Value(op.Inputs[0]), Value(op.Inputs[1]), _builder.NewValue()))),
            TfLiteOp.Sub => WithActivation(op, name, SubtractConstant(op, name)),
            TfLiteOp.AveragePool2D => AveragePool(op, name),
            TfLiteOp.StridedSlice => IdentitySlice(op, name),
            TfLiteOp.GreaterEqual => Compare(op, name, Comparison.GreaterOrEqual),
            TfLiteOp.Less => Compare(op, name, Comparison.Less),
            TfLiteOp.Cast => CastOfComparison(op, name),
            TfLiteOp.Add => WithActivation(op, name, _builder.Add(new AddLayer(name, Value(op.Inputs[0]), Value(op.Inputs[1]), _builder.NewValue()))),
            TfLiteOp.MaxPool2D => MaxPool(op, name),
            TfLiteOp.Pad => Pad(op, name),
            TfLiteOp.ResizeBilinear => Resize(op, name),
            TfLiteOp.Reshape => Reshape(op, name),
            TfLiteOp.Concatenation => Concat(op, name),
            _ => throw new ModelFormatException($"TFLite operator {op.Op} (code {op.RawCode}) of '{name}' is not supported"),
        };
        if (output >= 0) _values[op.Outputs[0]] = output;
    }

    private int Value(int tensor) => _values.TryGetValue(tensor, out int v)
        ? v
        : throw new ModelFormatException($"tensor '{_model.Tensors[tensor].Name}' is read before any supported operator writes it");

    private int Conv(TfLiteOperator op, string name)
    {
        var weight = Constant(op.Inputs[1]);
        int kernel = SquareKernel(op, weight.Shape[1], weight.Shape[2]);
        var activation = ConvActivation(op, weight.Shape[0], out int outTensor);
        int output = _builder.Add(new Conv2dLayer(name, Value(op.Inputs[0]), _builder.NewValue(), TfLiteParameterExtractor.OhwiToOihw(weight),
            Constant(op.Inputs[2]).Data!, weight.Shape[3], kernel, op.Options.StrideH, PaddingOf(op), activation));
        _values[outTensor] = output;
        return output;
    }

    private int Depthwise(TfLiteOperator op, string name)
    {
        if (op.Options.DepthMultiplier != 1) throw new ModelFormatException($"{name}: depth multiplier {op.Options.DepthMultiplier} is not supported");
        var weight = Constant(op.Inputs[1]);
        int kernel = SquareKernel(op, weight.Shape[1], weight.Shape[2]);
        var activation = ConvActivation(op, weight.Shape[3], out int outTensor);
        int output = _builder.Add(new DepthwiseConv2dLayer(name, Value(op.Inputs[0]), _builder.NewValue(),
            TfLiteParameterExtractor.DepthwiseToCanonical(weight), Constant(op.Inputs[2]).Data!, kernel, op.Options.StrideH, PaddingOf(op), activation));
        _values[outTensor] = output;
        return output;
    }

    /// <summary>
    /// The conv's (or fully connected layer's) fused activation, taking over a following RELU or LEAKY_RELU (as a PReLU
    /// with one slope for all <paramref name="channels"/>) when the output feeds nothing else; sets
    /// <paramref name="outTensor"/> to the tensor the fused layer stands for.
    /// </summary>
    private Activation ConvActivation(TfLiteOperator op, int channels, out int outTensor)
    {
        outTensor = op.Outputs[0];
        if (op.Options.DilationH != 1 || op.Options.DilationW != 1) throw new ModelFormatException($"dilated {op.Op} is not supported");
        if (op.Options.FusedActivation == FusedRelu) return Activation.Relu;
        if (op.Options.FusedActivation != FusedNone) throw new ModelFormatException($"{op.Op} with fused activation {op.Options.FusedActivation} is not supported");
        int convOutput = outTensor;
        if (_readers[convOutput] != 1) return Activation.None;
        var next = _model.Operators.FirstOrDefault(o => o.Op is TfLiteOp.Relu or TfLiteOp.LeakyRelu && o.Inputs[0] == convOutput);
        if (next is null) return Activation.None;
        _fused.Add(next);
        outTensor = next.Outputs[0];
        return next.Op == TfLiteOp.Relu ? Activation.Relu : Activation.PRelu(Enumerable.Repeat(next.Options.Alpha, channels).ToArray());
    }

    private int Dense(TfLiteOperator op, string name)
    {
        if (op.Options.WeightsFormat != 0) throw new ModelFormatException($"{name}: shuffled fully connected weights are not supported");
        var weight = Constant(op.Inputs[1]);
        if (weight.Shape.Length != 2) throw new ModelFormatException($"{name}: fully connected weights must be [out, in]");
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        float[] bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? Constant(op.Inputs[2]).Data! : new float[outFeatures];
        var activation = ConvActivation(op, outFeatures, out int outTensor);
        // TFLite flattens each image's values in NHWC order, as the engine's layer does; [out, in] is its layout too.
        int output = _builder.Add(new FullyConnectedLayer(name, Value(op.Inputs[0]), _builder.NewValue(), weight.Data!, bias, inFeatures, activation));
        _values[outTensor] = output;
        return output;
    }

    /// <summary>x − c for a constant c of one value per channel (or one for all), as a per-channel affine step with scale 1.</summary>
    private int SubtractConstant(TfLiteOperator op, string name)
    {
        var constant = Constant(op.Inputs[1]);
        int channels = ChannelsOf(op.Inputs[0]);
        float[] c = constant.Data!.Length == 1 ? Enumerable.Repeat(constant.Data[0], channels).ToArray() : constant.Data;
        if (c.Length != channels) throw new ModelFormatException($"{name}: subtracting {c.Length} values from {channels} channels is not supported");
        float[] ones = Enumerable.Repeat(1f, channels).ToArray();
        // BatchNorm with γ = 1, variance 1, ε = 0 and mean c computes exactly x·1 + (0 − c).
        return _builder.Add(new BatchNormLayer(name, Value(op.Inputs[0]), _builder.NewValue(), ones, new float[channels], c, ones, 0f));
    }

    private int AveragePool(TfLiteOperator op, string name)
    {
        int kernel = SquareKernel(op, op.Options.FilterH, op.Options.FilterW);
        int output = _builder.Add(new AveragePool2dLayer(name, Value(op.Inputs[0]), _builder.NewValue(), kernel, op.Options.StrideH, PaddingOf(op)));
        return WithActivation(op, name, output);
    }

    /// <summary>A STRIDED_SLICE that keeps every element (all strides 1, each axis from its start to its end) is the identity.</summary>
    private int IdentitySlice(TfLiteOperator op, string name)
    {
        var o = op.Options;
        int[] shape = _model.Tensors[op.Inputs[0]].Shape;
        int[]? begin = _model.Tensors[op.Inputs[1]].Ints, end = _model.Tensors[op.Inputs[2]].Ints, strides = _model.Tensors[op.Inputs[3]].Ints;
        bool identity = begin is not null && end is not null && strides is not null && o.EllipsisMask == 0 && o.NewAxisMask == 0 && o.ShrinkAxisMask == 0
            && begin.Length == shape.Length && end.Length == shape.Length && strides.Length == shape.Length
            && shape.SequenceEqual(_model.Tensors[op.Outputs[0]].Shape)
            && Enumerable.Range(0, shape.Length).All(a => strides[a] == 1
                && ((o.BeginMask >> a & 1) == 1 || begin[a] == 0)
                && ((o.EndMask >> a & 1) == 1 || end[a] == shape[a]));
        if (!identity) throw new ModelFormatException($"{name}: only a strided slice that keeps the whole tensor is supported");
        return Value(op.Inputs[0]);
    }

    private int Compare(TfLiteOperator op, string name, Comparison comparison)
    {
        var threshold = Constant(op.Inputs[1]);
        if (threshold.Data!.Length != 1) throw new ModelFormatException($"{name}: comparison against a non-scalar is not supported");
        return _builder.Add(new CompareLayer(name, Value(op.Inputs[0]), _builder.NewValue(), comparison, threshold.Data[0]));
    }

    /// <summary>A CAST of a comparison's boolean result to float32 is the 0/1 values the comparison layer already wrote.</summary>
    private int CastOfComparison(TfLiteOperator op, string name)
    {
        bool ofComparison = _producers.TryGetValue(op.Inputs[0], out var source) && source.Op is TfLiteOp.GreaterEqual or TfLiteOp.Less;
        if (!ofComparison || _model.Tensors[op.Outputs[0]].Type != TfLiteTensor.Float32)
            throw new ModelFormatException($"{name}: only a cast of a comparison result to float32 is supported");
        return Value(op.Inputs[0]);
    }

    /// <summary>The channel (last-axis) count of a tensor as the file declares it.</summary>
    private int ChannelsOf(int tensor)
    {
        int[] shape = _model.Tensors[tensor].Shape;
        return shape.Length == 0 ? 1 : shape[^1];
    }

    private int WithActivation(TfLiteOperator op, string name, int value) => op.Options.FusedActivation switch
    {
        FusedNone => value,
        FusedRelu => _builder.Add(new ReluLayer(name + "/relu", value, _builder.NewValue())),
        _ => throw new ModelFormatException($"{name}: fused activation {op.Options.FusedActivation} is not supported"),
    };

    private int MaxPool(TfLiteOperator op, string name)
    {
        int kernel = SquareKernel(op, op.Options.FilterH, op.Options.FilterW);
        int output = _builder.Add(new MaxPool2dLayer(name, Value(op.Inputs[0]), _builder.NewValue(), kernel, op.Options.StrideH, PaddingOf(op)));
        return WithActivation(op, name, output);
    }

    private int Pad(TfLiteOperator op, string name)
    {
        int[] pads = _model.Tensors[op.Inputs[1]].Ints ?? throw new ModelFormatException($"{name}: paddings are not a constant");
        if (pads.Length != 8 || pads[..6].Any(p => p != 0))
            throw new ModelFormatException($"{name}: only zero padding of the channel axis is supported (paddings {string.Join(',', pads)})");
        return _builder.Add(new PadChannelsLayer(name, Value(op.Inputs[0]), _builder.NewValue(), pads[6], pads[7]));
    }

    private int Resize(TfLiteOperator op, string name)
    {
        int[] size = _model.Tensors[op.Inputs[1]].Ints ?? throw new ModelFormatException($"{name}: the output size is not a constant");
        if (size.Length != 2) throw new ModelFormatException($"{name}: the output size must be [height, width]");
        return _builder.Add(new ResizeBilinearLayer(name, Value(op.Inputs[0]), _builder.NewValue(), size[0], size[1],
            new ResizeMapping(op.Options.AlignCorners, op.Options.HalfPixelCenters)));
    }

    private int Reshape(TfLiteOperator op, string name)
    {
        // The output tensor's static shape is the resolved new shape (no −1 left); the batch axis stays the engine's.
        int[] shape = _model.Tensors[op.Outputs[0]].Shape;
        if (shape.Length is < 2 or > 4) throw new ModelFormatException($"{name}: reshape to rank {shape.Length} is not supported");
        // Rank r < 4 is NHWC with unit axes inserted after the batch axis: [1, 896, 16] is [N, 1, 896, 16].
        int[] hwc = [.. Enumerable.Repeat(1, 4 - shape.Length), .. shape[1..]];
        return _builder.Add(new ReshapeLayer(name, Value(op.Inputs[0]), _builder.NewValue(), new TensorShape(1, hwc[0], hwc[1], hwc[2])));
    }

    private int Concat(TfLiteOperator op, string name)
    {
        int rank = _model.Tensors[op.Outputs[0]].Shape.Length;
        int axis = op.Options.Axis < 0 ? op.Options.Axis + rank : op.Options.Axis;
        // A rank-r tensor is the engine's NHWC with leading unit axes after the batch axis.
        int engineAxis = axis + (4 - rank);
        if (axis < 1 || engineAxis is < 1 or > 3) throw new ModelFormatException($"{name}: concatenation along axis {op.Options.Axis} of rank {rank} is not supported");
        int output = Join(name, op.Inputs.Select(Value).ToArray(), (ConcatAxis)engineAxis);
        return WithActivation(op, name, output);
    }

    /// <summary>Concatenates any number of values with layers of at most <see cref="ConcatLayer.MaxInputs"/> inputs: a wider one joins groups first.</summary>
    private int Join(string name, int[] inputs, ConcatAxis axis)
    {
        if (inputs.Length <= ConcatLayer.MaxInputs) return _builder.Add(new ConcatLayer(name, inputs, _builder.NewValue(), axis));
        int groups = (inputs.Length + ConcatLayer.MaxInputs - 1) / ConcatLayer.MaxInputs;
        var parts = Enumerable.Range(0, groups).Select(g =>
        {
            var group = inputs.Skip(g * ConcatLayer.MaxInputs).Take(ConcatLayer.MaxInputs).ToArray();
            return group.Length == 1 ? group[0] : Join($"{name}/part{g}", group, axis);
        }).ToArray();
        return Join(name, parts, axis);
    }

    /// <summary>A float constant, read through the DEQUANTIZE that widens a float16 constant when there is one.</summary>
    private TfLiteTensor Constant(int index)
    {
        var t = _model.Tensors[index];
        if (t.Data is not { Length: > 0 } && _producers.TryGetValue(index, out var op) && op.Op == TfLiteOp.Dequantize)
            t = t with { Data = _model.Tensors[op.Inputs[0]].Data };
        if (t.Data is not { Length: > 0 }) throw new ModelFormatException($"tensor '{t.Name}' should be a float constant (quantised models are not supported)");
        return t;
    }

    private static int SquareKernel(TfLiteOperator op, int kh, int kw)
    {
        if (kh != kw || op.Options.StrideH != op.Options.StrideW)
            throw new ModelFormatException($"{op.Op}: only square kernels with equal strides are supported ({kh}x{kw}, stride {op.Options.StrideH}x{op.Options.StrideW})");
        return kh;
    }

    private static Padding PaddingOf(TfLiteOperator op) => op.Options.Padding == TfLitePadding.Same ? Padding.Same : Padding.Valid;
}
