using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// One step of a <see cref="Network"/>: reads the values named by <see cref="Inputs"/>, writes the value
/// <see cref="Output"/>. Layers are immutable after construction (weights packed once), so a network can
/// be shared by many threads, each with its own <see cref="InferenceSession"/>.
/// </summary>
public abstract class Layer
{
    /// <summary>Creates a layer reading <paramref name="inputs"/> and writing <paramref name="output"/>.</summary>
    protected Layer(string name, int[] inputs, int output)
    {
        Name = name;
        Inputs = inputs;
        Output = output;
    }

    /// <summary>Name for diagnostics (the weight prefix it was built from).</summary>
    public string Name { get; }

    /// <summary>Value ids this layer reads.</summary>
    public int[] Inputs { get; }

    /// <summary>Value id this layer writes.</summary>
    public int Output { get; }

    /// <summary>Output shape for the given input shapes; throws on a mismatch.</summary>
    public abstract TensorShape InferShape(ReadOnlySpan<TensorShape> inputs);

    /// <summary>Multiply-accumulates for the given input shapes (for GFLOP/s and model info).</summary>
    public virtual long CountMacs(ReadOnlySpan<TensorShape> inputs) => 0;

    /// <summary>Learned values the layer holds (weights, biases, affine terms), for model info.</summary>
    public virtual long ParameterCount => 0;

    /// <summary>Runs the layer on buffers sized by the session's plan.</summary>
    public abstract void Run(LayerArgs args);
}

/// <summary>Buffers and shapes one layer invocation sees.</summary>
public readonly ref struct LayerArgs
{
    /// <summary>Bundles the invocation's buffers.</summary>
    public LayerArgs(float[][] values, TensorShape[] shapes, Layer layer, int threads)
    {
        Values = values;
        Shapes = shapes;
        Layer = layer;
        Threads = threads;
    }

    private float[][] Values { get; }
    private TensorShape[] Shapes { get; }
    private Layer Layer { get; }

    /// <summary>Threads the layer may use.</summary>
    public int Threads { get; }

    /// <summary>The i-th input's data, exactly its shape's size.</summary>
    public ReadOnlySpan<float> Input(int i) => Values[Layer.Inputs[i]].AsSpan(0, Shapes[Layer.Inputs[i]].Size);

    /// <summary>The i-th input's shape.</summary>
    public TensorShape InputShape(int i) => Shapes[Layer.Inputs[i]];

    /// <summary>The output buffer, exactly its shape's size.</summary>
    public Span<float> Output => Values[Layer.Output].AsSpan(0, Shapes[Layer.Output].Size);

    /// <summary>The output shape.</summary>
    public TensorShape OutputShape => Shapes[Layer.Output];

    /// <summary>Raw arrays (for kernels that run rows in parallel and cannot capture spans).</summary>
    public float[] InputArray(int i) => Values[Layer.Inputs[i]];

    /// <summary>Raw output array.</summary>
    public float[] OutputArray => Values[Layer.Output];
}
