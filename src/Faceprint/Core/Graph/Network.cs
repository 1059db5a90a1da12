using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// An immutable inference graph: value 0 is the input, layers run in order, and <see cref="Outputs"/>
/// name the values a caller reads back. Thread-safe; per-call state lives in <see cref="InferenceSession"/>.
/// </summary>
public sealed class Network
{
    /// <summary>Creates a network over <paramref name="valueCount"/> values.</summary>
    public Network(string name, IReadOnlyList<Layer> layers, int valueCount, IReadOnlyList<int> outputs, int inputChannels)
    {
        Name = name;
        Layers = layers;
        ValueCount = valueCount;
        Outputs = outputs;
        InputChannels = inputChannels;
    }

    /// <summary>Name for diagnostics.</summary>
    public string Name { get; }

    /// <summary>Layers in execution order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Number of values (input, intermediates, outputs).</summary>
    public int ValueCount { get; }

    /// <summary>Value ids of the outputs.</summary>
    public IReadOnlyList<int> Outputs { get; }

    /// <summary>Channels the input must have.</summary>
    public int InputChannels { get; }

    /// <summary>
    /// The equivalent graph sessions execute (<see cref="Optimization.NetworkOptimizer"/>), computed once; this network
    /// itself stays exactly as its definition built it, for exporters.
    /// </summary>
    internal Network Optimized => _optimized ??= Optimization.NetworkOptimizer.Optimize(this);

    private Network? _optimized;

    /// <summary>Shapes of every value for an input shape.</summary>
    public TensorShape[] InferShapes(TensorShape input)
    {
        if (input.C != InputChannels) throw new ArgumentException($"{Name}: input has {input.C} channels, expected {InputChannels}");
        var shapes = new TensorShape[ValueCount];
        shapes[0] = input;
        Span<TensorShape> scratch = stackalloc TensorShape[4];
        foreach (var layer in Layers)
        {
            for (int i = 0; i < layer.Inputs.Length; i++) scratch[i] = shapes[layer.Inputs[i]];
            shapes[layer.Output] = layer.InferShape(scratch[..layer.Inputs.Length]);
        }
        return shapes;
    }

    /// <summary>Multiply-accumulates of one run at <paramref name="input"/>.</summary>
    public long CountMacs(TensorShape input)
    {
        var shapes = InferShapes(input);
        long total = 0;
        Span<TensorShape> scratch = stackalloc TensorShape[4];
        foreach (var layer in Layers)
        {
            for (int i = 0; i < layer.Inputs.Length; i++) scratch[i] = shapes[layer.Inputs[i]];
            total += layer.CountMacs(scratch[..layer.Inputs.Length]);
        }
        return total;
    }
}
