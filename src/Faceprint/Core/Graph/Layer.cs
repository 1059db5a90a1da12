using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// One step of a <see cref="Network"/>: reads the values named by <see cref="Inputs"/>, writes the value
/// <see cref="Output"/>. Layers are immutable after construction (weights packed once), so a network can
/// be shared by many threads, each with its own <see cref="InferenceSession"/>. Every layer computes each image of
/// a batch independently of the others (sessions may run a batch image by image). To use the session's threads,
/// implement <see cref="IRowTask"/> and call <see cref="LayerArgs.ForRows"/> from <see cref="Run"/>.
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

    /// <summary>
    /// Floats of per-worker scratch one <see cref="Run"/> needs at these input shapes (e.g. an im2col tile); the session
    /// sizes its plan by the largest such need, and <see cref="LayerArgs.Scratch"/> hands it out without allocating.
    /// </summary>
    public virtual int ScratchFloats(ReadOnlySpan<TensorShape> inputs) => 0;

    /// <summary>Runs the layer on buffers sized by the session's plan.</summary>
    public abstract void Run(LayerArgs args);
}
