using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// Builds the int8 form of an fp32 network: every dense conv and every depthwise conv (GDConv included) of its optimised
/// graph that has calibrated input parameters and is not kept in fp32 becomes an <see cref="Int8PointwiseConvLayer"/>
/// (1×1 stride 1), an <see cref="Int8Conv2dLayer"/> (any other kernel, stride or padding: a stem, MTCNN's convs) or an
/// <see cref="Int8DepthwiseConvLayer"/> (weights symmetric per output channel, fused bias/activation/residual kept);
/// every other layer (pooling, …) is shared with the fp32 network unchanged.
/// <para>
/// Between int8 layers values travel as u8 codes: a value whose every reader is a pointwise or depthwise int8 layer
/// taking it as its main input with the same parameters is written as codes by its pointwise or depthwise int8 producer
/// (requantized in the epilogue), so no float tensor is stored and no quantization pass runs. Network outputs, residual
/// inputs and the k×k convs' inputs and outputs stay floats. A depthwise layer after a float producer reads codes from an
/// <see cref="Int8QuantizeLayer"/> placed before it, or, when that producer is a few-channel fp32 conv read by nothing
/// else (the stem kept fp32), from the conv itself, whose epilogue writes them (<see cref="Conv2dLayer.OutputCodes"/>).
/// </para>
/// <para>
/// A depthwise layer may take its input quantized per channel (its output channel c reads only input channel c, so the
/// scale and zero point of each channel fold exactly into the epilogue): its producer then writes floats and an
/// <see cref="Int8QuantizeLayer"/> quantizes them channel by channel.
/// </para>
/// </summary>
public static class NetworkQuantizer
{
    /// <summary>True for the layers this quantizer runs in 8 bits.</summary>
    public static bool CanQuantize(Layer layer) => layer switch
    {
        // The int8 epilogues apply ReLU and PReLU only; layers with another fused activation (GELU, ReLU6) stay fp32.
        Conv2dLayer conv => HasInt8Activation(conv.Activation),
        DepthwiseConv2dLayer dw => HasInt8Activation(dw.Activation),
        _ => false,
    };

    private static bool HasInt8Activation(Activation activation) => activation.Kind is ActivationKind.None or ActivationKind.Relu or ActivationKind.PRelu;

    /// <summary>True for a conv that is a plain GEMM over pixels (<see cref="Int8PointwiseConvLayer"/>).</summary>
    private static bool IsPointwise(Conv2dLayer conv) => conv is { Kernel: 1, Stride: 1 } && PadsNothing(conv.Padding);

    /// <summary>True for the int8 layers that read and write u8 codes (pointwise and depthwise; k×k convs take floats).</summary>
    private static bool PassesCodes(Layer layer) => CanQuantize(layer) && (layer is DepthwiseConv2dLayer || layer is Conv2dLayer c && IsPointwise(c));

    /// <summary>
    /// The quantizable layers best kept fp32 unless asked otherwise: every dense k×k conv over more than a few input
    /// channels. Measured on the default MobileFaceNet with the im2col int8 conv (<see cref="Int8Conv"/>), an int8 stem kept
    /// the cosine to fp32 but ran the network only about 1 % faster, since its float output was quantized again for the
    /// next layer anyway; the few-channel stems now run on <see cref="Int8StemConv"/>, which writes the depthwise reader's
    /// codes itself, and go int8: facex-nano's int8/fp32 time 0.51–0.52 → 0.495–0.50 (interleaved, one thread, batch 1),
    /// its stem 0.66× the fp32 direct conv's time.
    /// </summary>
    public static IReadOnlyList<string> KeptFp32ByDefault(Network network) =>
        network.Optimized.Layers.Where(l => l is Conv2dLayer dense && CanQuantize(dense) && !IsPointwise(dense) && dense.InChannels > StemConvKernel.MaxInChannels)
            .Select(l => l.Name).ToList();

    /// <summary>
    /// The depthwise convs whose input is best quantized per channel, as measured on the default MobileFaceNet (cosine to
    /// fp32 over calibration faces, per-tensor input: mean 0.987 with the stem's depthwise conv in int8, 0.989 with the
    /// GDConv, 0.994 with both fp32): a depthwise conv fed by a float producer or the network input (the stem's: its
    /// input's channels have very different ranges, and it needs a quantize pass anyway) and a depthwise conv that reduces
    /// its map to one pixel (the GDConv, whose output is the embedding's basis: one channel's coarse steps reach the
    /// embedding unaveraged). Depthwise convs between int8 1×1 convs keep per-tensor codes, which their producers write.
    /// </summary>
    public static IReadOnlyList<string> PerChannelByDefault(Network network)
    {
        var layers = network.Optimized.Layers;
        var producers = new Dictionary<int, Layer>();
        foreach (var layer in layers) producers[layer.Output] = layer;
        var chosen = new List<string>();
        foreach (var layer in layers)
        {
            if (layer is not DepthwiseConv2dLayer dw || !CanQuantize(dw)) continue;
            bool afterFloat = !producers.TryGetValue(dw.Inputs[0], out var producer) || !PassesCodes(producer);
            bool wholeMap = dw.Padding.Resolve(dw.Kernel, dw.Kernel, dw.Stride) == (1, 0);
            if (afterFloat || wholeMap) chosen.Add(dw.Name);
        }
        return chosen;
    }

    // A 1×1 stride-1 conv is a GEMM when it pads nothing (any padding rule at all would add border pixels).
    private static bool PadsNothing(Tensors.Padding padding) => padding.Resolve(5, 1, 1) == (5, 0);

    /// <summary>
    /// The int8 network: <paramref name="inputs"/> gives each quantizable layer's input parameters by layer name, and
    /// <paramref name="channelInputs"/> a depthwise layer's parameters per input channel; layers named in
    /// <paramref name="keepFp32"/>, or without parameters, stay fp32.
    /// </summary>
    /// <remarks>
    /// <paramref name="storedWeights"/> gives, by layer name, weights already quantized (codes [out, in], [out, in, k, k]
    /// or [c, 1, k, k] and per-output scales, as a model file stores them); they are packed as they are instead of quantizing the
    /// layer's fp32 weight.
    /// </remarks>
    public static Network Quantize(Network network, IReadOnlyDictionary<string, QuantParams> inputs, IReadOnlySet<string>? keepFp32 = null,
        Int8Isa? isa = null, IReadOnlyDictionary<string, Weights.QuantizedTensor>? storedWeights = null, Int8DepthwiseIsa? depthwiseIsa = null,
        IReadOnlyDictionary<string, IReadOnlyList<QuantParams>>? channelInputs = null)
    {
        var optimized = network.Optimized;
        var layers = optimized.Layers;
        var quantized = new QuantParams?[layers.Count];
        var perChannel = new IReadOnlyList<QuantParams>?[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            if (!CanQuantize(layers[i]) || keepFp32?.Contains(layers[i].Name) == true) continue;
            if (layers[i] is DepthwiseConv2dLayer dw && channelInputs?.TryGetValue(dw.Name, out var channels) == true)
            {
                if (channels.Count != dw.Channels) throw new ArgumentException($"{dw.Name}: {channels.Count} per-channel input quantizations for {dw.Channels} channels");
                perChannel[i] = channels;
            }
            else if (inputs.TryGetValue(layers[i].Name, out var q)) quantized[i] = q;
        }

        var codes = CodeValues(optimized, quantized, perChannel);
        var result = new List<Layer>(layers.Count);
        int values = optimized.ValueCount;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (perChannel[i] is { } channels)
            {
                var pc = (DepthwiseConv2dLayer)layer;
                var pcWeights = storedWeights?.GetValueOrDefault(layer.Name) is { } pcStored
                    ? new Int8DepthwiseWeights(pcStored.Codes, pcStored.Scales, pc.Channels, pc.Kernel, pc.Bias.ToArray(), pc.Activation, channels, depthwiseIsa ?? Int8DepthwiseIsas.Best)
                    : Int8DepthwiseWeights.FromFloat(pc.Weight.ToArray(), pc.Channels, pc.Kernel, pc.Bias.ToArray(), pc.Activation, channels, depthwiseIsa ?? Int8DepthwiseIsas.Best);
                // Codes quantized per channel never travel between int8 layers: the producer writes floats, quantized here,
                // unless it is a few-channel fp32 conv (the stem), whose epilogue writes them.
                if (!WritesCodes(optimized, result, pc.Inputs[0], channels, values))
                    result.Add(new Int8QuantizeLayer(pc.Name + ".quantize", pc.Inputs[0], values, channels));
                result.Add(new Int8DepthwiseConvLayer(pc.Name, values++, pc.Output, pcWeights, pc.Bias, pc.Stride, pc.Padding,
                    codes.TryGetValue(pc.Output, out var pcOut) ? pcOut : null));
                continue;
            }
            if (quantized[i] is not { } q)
            {
                result.Add(layer);
                continue;
            }
            var stored = storedWeights?.GetValueOrDefault(layer.Name);
            QuantParams? outputCodes = codes.TryGetValue(layer.Output, out var oq) ? oq : null;
            if (layer is Conv2dLayer dense && !IsPointwise(dense))
            {
                result.Add(Int8Conv2dLayer.FromConv(dense, q, isa ?? Int8Isas.Best, stored));
                continue;
            }
            if (layer is Conv2dLayer conv)
            {
                var weights = stored is not null
                    ? new Int8GemmWeights(stored.Codes, stored.Scales, conv.InChannels, conv.OutChannels, conv.Bias.ToArray(), conv.Activation, q, isa ?? Int8Isas.Best)
                    : Int8GemmWeights.FromFloat(conv.Weight.ToArray(), conv.InChannels, conv.OutChannels, conv.Bias.ToArray(), conv.Activation, q, isa ?? Int8Isas.Best);
                result.Add(new Int8PointwiseConvLayer(conv.Name, conv.Inputs[0], conv.Residual, conv.Output, weights, conv.Bias,
                    inputCodes: codes.ContainsKey(conv.Inputs[0]), outputCodes));
                continue;
            }
            var dw = (DepthwiseConv2dLayer)layer;
            var dwIsa = depthwiseIsa ?? Int8DepthwiseIsas.Best;
            var dwWeights = stored is not null
                ? new Int8DepthwiseWeights(stored.Codes, stored.Scales, dw.Channels, dw.Kernel, dw.Bias.ToArray(), dw.Activation, q, dwIsa)
                : Int8DepthwiseWeights.FromFloat(dw.Weight.ToArray(), dw.Channels, dw.Kernel, dw.Bias.ToArray(), dw.Activation, q, dwIsa);
            int input = dw.Inputs[0];
            if (!codes.ContainsKey(input))
            {
                if (!WritesCodes(optimized, result, input, Enumerable.Repeat(q, dw.Channels).ToArray(), values))
                    result.Add(new Int8QuantizeLayer(dw.Name + ".quantize", input, values, q));
                input = values++;
            }
            result.Add(new Int8DepthwiseConvLayer(dw.Name, input, dw.Output, dwWeights, dw.Bias, dw.Stride, dw.Padding, outputCodes));
        }
        return new Network(network.Name, result, values, optimized.Outputs, optimized.InputChannels);
    }

    /// <summary>
    /// Makes the fp32 producer of <paramref name="value"/> write it as codes of <paramref name="channels"/> into value
    /// <paramref name="codes"/>, when it is a conv whose epilogue can (<see cref="Conv2dLayer.CanWriteCodes"/>,
    /// <see cref="Int8Conv2dLayer.CanWriteCodes"/>: the few-channel stem kernels) and the value has no other reader and is no network output: the codes are those a quantize step would
    /// make, without the float tensor and the pass (facex-nano's stem: one of its two quantize steps).
    /// </summary>
    private static bool WritesCodes(Network network, List<Layer> result, int value, IReadOnlyList<QuantParams> channels, int codes)
    {
        int at = result.FindLastIndex(l => l.Output == value);
        if (at < 0 || network.Outputs.Contains(value) || network.Layers.Count(l => l.Inputs.Contains(value)) != 1) return false;
        switch (result[at])
        {
            case Conv2dLayer { CanWriteCodes: true } conv:
                result[at] = conv.WithOutputCodes(channels, codes);
                return true;
            case Int8Conv2dLayer { CanWriteCodes: true } int8:
                result[at] = int8.WithOutputCodes(channels, codes);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The values an int8 producer writes as codes, with their parameters: the producer and every reader pass codes
    /// (<see cref="PassesCodes"/>), each reader takes the value as its main input with one and the same per-tensor parameters, and the value is not a network output.
    /// </summary>
    private static Dictionary<int, QuantParams> CodeValues(Network network, QuantParams?[] quantized, IReadOnlyList<QuantParams>?[] perChannel)
    {
        var layers = network.Layers;
        var readers = new Dictionary<int, List<(int Layer, int Slot)>>();
        for (int i = 0; i < layers.Count; i++)
            for (int slot = 0; slot < layers[i].Inputs.Length; slot++)
            {
                int v = layers[i].Inputs[slot];
                if (!readers.TryGetValue(v, out var list)) readers[v] = list = [];
                list.Add((i, slot));
            }
        var codes = new Dictionary<int, QuantParams>();
        for (int i = 0; i < layers.Count; i++)
        {
            int v = layers[i].Output;
            if (quantized[i] is null && perChannel[i] is null || !PassesCodes(layers[i]) || network.Outputs.Contains(v) || !readers.TryGetValue(v, out var list)) continue;
            if (list.Any(r => r.Slot != 0 || quantized[r.Layer] is null || !PassesCodes(layers[r.Layer]))) continue;
            var q = quantized[list[0].Layer]!.Value;
            if (list.All(r => quantized[r.Layer] == q)) codes[v] = q;
        }
        return codes;
    }
}
