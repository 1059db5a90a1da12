using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// Runs an fp32 network (its optimised graph, the one quantization rewrites) on calibration inputs and records the
/// range of the input of every layer <see cref="NetworkQuantizer"/> can run in 8 bits, keyed by layer name, and for
/// depthwise convs (which may take their input per channel) the range of each input channel too.
/// </summary>
public sealed class ActivationCalibrator
{
    private readonly InferenceSession _session;
    private readonly (string Layer, int Output)[] _watched;
    private readonly Dictionary<string, ActivationRange> _ranges = [];
    private readonly Dictionary<string, ChannelActivationRange> _channelRanges = [];

    /// <summary>Prepares calibration of <paramref name="network"/> on <paramref name="threads"/> threads.</summary>
    public ActivationCalibrator(Network network, int threads = 1)
    {
        var optimized = network.Optimized;
        var watched = new List<(string, int)>();
        var outputs = optimized.Outputs.ToList();
        foreach (var layer in optimized.Layers)
        {
            if (!NetworkQuantizer.CanQuantize(layer)) continue;
            watched.Add((layer.Name, outputs.Count));
            outputs.Add(layer.Inputs[0]);
            _ranges[layer.Name] = new ActivationRange();
            if (layer is DepthwiseConv2dLayer dw) _channelRanges[layer.Name] = new ChannelActivationRange(dw.Channels);
        }
        _watched = watched.ToArray();
        // The watched inputs become extra outputs, so the memory plan keeps them until the run ends.
        var probe = new Network(optimized.Name, optimized.Layers, optimized.ValueCount, outputs, optimized.InputChannels);
        _session = new InferenceSession(probe, threads, optimize: false);
    }

    /// <summary>Ranges seen so far, by layer name (the range of that layer's input).</summary>
    public IReadOnlyDictionary<string, ActivationRange> Ranges => _ranges;

    /// <summary>Per-channel ranges seen so far of the depthwise convs' inputs, by layer name.</summary>
    public IReadOnlyDictionary<string, ChannelActivationRange> ChannelRanges => _channelRanges;

    /// <summary>Images observed so far.</summary>
    public int Images { get; private set; }

    /// <summary>Runs one image (an N = 1 input of <paramref name="shape"/>) and adds its activations to the ranges.</summary>
    public void Observe(ReadOnlySpan<float> image, TensorShape shape)
    {
        if (shape.N != 1) throw new ArgumentException("calibration observes one image at a time");
        image.CopyTo(_session.PrepareInput(shape));
        _session.Run();
        foreach (var (layer, output) in _watched)
        {
            var values = _session.Output(output);
            _ranges[layer].Observe(values);
            if (_channelRanges.TryGetValue(layer, out var channels)) channels.Observe(values);
        }
        Images++;
    }
}
