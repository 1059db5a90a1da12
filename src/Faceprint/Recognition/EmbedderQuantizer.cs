using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Alignment;
using Faceprint.Models;

namespace Faceprint.Recognition;

/// <summary>
/// Post-training quantization of an embedding model: calibrates activation ranges on aligned faces, writes the plan
/// into a copy of the model file, builds the network for an <see cref="EmbedderPrecision"/>, and measures how closely
/// int8 embeddings follow fp32 ones.
/// </summary>
public static class EmbedderQuantizer
{
    /// <summary>
    /// Runs the fp32 network of <paramref name="file"/> on <paramref name="faces"/> (112×112 aligned) and returns the plan
    /// quantizing every dense conv (1×1 and k×k, the stem included) and every depthwise conv except those named in <paramref name="keepFp32"/>;
    /// the depthwise convs named in <paramref name="perChannel"/> take their input quantized per channel.
    /// </summary>
    public static QuantizationPlan Calibrate(ModelFile file, IEnumerable<RgbImage> faces, CalibrationMethod method, IReadOnlyCollection<string> keepFp32,
        IReadOnlyCollection<string> perChannel, CancellationToken ct = default)
    {
        var network = ModelFamilies.Build(file);
        var normalization = ModelFamilies.EmbedderInput(file.Family);
        var calibrator = new ActivationCalibrator(network);
        foreach (var name in keepFp32)
            if (!calibrator.Ranges.ContainsKey(name))
                throw new FaceprintException($"no quantizable layer is named '{name}' (known: {string.Join(", ", calibrator.Ranges.Keys)})");
        foreach (var name in perChannel)
        {
            if (!calibrator.ChannelRanges.ContainsKey(name))
                throw new FaceprintException($"no quantizable depthwise conv is named '{name}' (known: {string.Join(", ", calibrator.ChannelRanges.Keys)})");
            if (keepFp32.Contains(name)) throw new FaceprintException($"layer '{name}' cannot be both kept fp32 and quantized per channel");
        }
        var shape = new TensorShape(1, FaceAligner.Size, FaceAligner.Size, 3);
        var input = new float[shape.Size];
        foreach (var face in faces)
        {
            ct.ThrowIfCancellationRequested();
            FaceEmbedder.ToInput(face, normalization, input);
            calibrator.Observe(input, shape);
        }
        if (calibrator.Images == 0) throw new FaceprintException("calibration needs at least one face");
        var inputs = calibrator.Ranges.Where(kv => !keepFp32.Contains(kv.Key) && !perChannel.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.Params(method));
        var channelInputs = perChannel.ToDictionary(name => name, name => (IReadOnlyList<QuantParams>)calibrator.ChannelRanges[name].Params());
        return new QuantizationPlan(method, calibrator.Images, inputs, keepFp32.ToArray()) { ChannelInputs = channelInputs };
    }

    /// <summary>
    /// A copy of <paramref name="file"/> carrying <paramref name="plan"/> in its metadata and the weights of the layers
    /// the plan quantizes as int8 tensors (codes and per-output-channel scales), so the file holds about one byte per
    /// quantized parameter. A layer's weight is stored in int8 only where the file tensor <c>LAYER.weight</c> is exactly
    /// the weight that layer runs; any other stays fp32 and is quantized at load.
    /// </summary>
    public static ModelFile WithPlan(ModelFile file, QuantizationPlan plan)
    {
        var metadata = file.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        metadata[QuantizationPlan.MetadataKey] = plan.ToJson();
        var byName = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var quantized = new Dictionary<string, QuantizedTensor>(StringComparer.Ordinal);
        foreach (var layer in ModelFamilies.Build(file).Optimized.Layers)
        {
            // [out, in·k·k] for a dense conv, [c, k·k] for a depthwise one: both quantize per output channel.
            (IReadOnlyList<float> Weight, int PerChannel, int Channels)? runs = layer switch
            {
                Conv2dLayer conv => (conv.Weight, conv.InChannels * conv.Kernel * conv.Kernel, conv.OutChannels),
                DepthwiseConv2dLayer dw => (dw.Weight, dw.Kernel * dw.Kernel, dw.Channels),
                _ => null,
            };
            if (!plan.Inputs.ContainsKey(layer.Name) && !plan.ChannelInputs.ContainsKey(layer.Name) || runs is not { } w || !byName.TryGetValue(WeightName(layer.Name), out var tensor)
                || !tensor.Data.AsSpan().SequenceEqual(w.Weight.ToArray()))
                continue;
            var (codes, scales) = Int8GemmWeights.QuantizeWeights(tensor.Data, w.PerChannel, w.Channels);
            quantized[tensor.Name] = new QuantizedTensor(tensor.Name, tensor.Shape, codes, scales);
        }
        return new ModelFile(file.Family, file.Config, file.Tensors.Where(t => !quantized.ContainsKey(t.Name)).ToArray(), metadata,
            file.Tensors.Where(t => quantized.ContainsKey(t.Name)).Select(t => quantized[t.Name]).ToArray());
    }

    private static string WeightName(string layer) => layer + ".weight";

    /// <summary>The network <paramref name="file"/> runs at <paramref name="precision"/>; int8 needs a file with a plan.</summary>
    public static Network BuildNetwork(ModelFile file, EmbedderPrecision precision)
    {
        if (precision == EmbedderPrecision.Fp32) return ModelFamilies.Build(file);
        var plan = QuantizationPlan.FromModelFile(file)
            ?? throw new FaceprintException("int8 needs a quantized model file: make one with 'faceprint models quantize IN.fpm --calibration DIR --out OUT.fpm'");
        var stored = file.QuantizedTensors
            .Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal))
            .ToDictionary(t => t.Name[..^".weight".Length], StringComparer.Ordinal);
        return plan.Apply(ModelFamilies.Build(file), stored);
    }

    /// <summary>Cosine between the embeddings two embedders give the same aligned faces: mean and minimum.</summary>
    public static (double Mean, double Min) Agreement(FaceEmbedder reference, FaceEmbedder candidate, IReadOnlyList<RgbImage> faces)
    {
        if (faces.Count == 0) throw new ArgumentException("no faces to compare");
        double sum = 0, min = double.PositiveInfinity;
        foreach (var face in faces)
        {
            var a = reference.EmbedAligned([face])[0];
            var b = candidate.EmbedAligned([face])[0];
            double cos = Embedding.Cosine(a, b);
            sum += cos;
            min = Math.Min(min, cos);
        }
        return (sum / faces.Count, min);
    }
}
