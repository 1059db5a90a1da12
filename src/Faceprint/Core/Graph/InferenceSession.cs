using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Per-caller state for running a <see cref="Network"/>: value buffers sized for the last input shape and
/// reused while the shape stays the same, so steady-state inference allocates nothing for activations.
/// Not thread-safe: one session per thread (engines pool them).
/// </summary>
public sealed class InferenceSession
{
    private float[][] _values;
    private TensorShape[] _shapes = [];
    private TensorShape _planned;

    /// <summary>Creates a session for <paramref name="network"/>.</summary>
    public InferenceSession(Network network, int threads = 1)
    {
        Network = network;
        Threads = Math.Max(1, threads);
        _values = new float[network.ValueCount][];
    }

    /// <summary>The network run.</summary>
    public Network Network { get; }

    /// <summary>Threads each layer may use.</summary>
    public int Threads { get; set; }

    /// <summary>Writable input buffer for <paramref name="shape"/> (plans buffers on a shape change).</summary>
    public Span<float> PrepareInput(TensorShape shape)
    {
        if (shape != _planned) Plan(shape);
        return _values[0].AsSpan(0, shape.Size);
    }

    /// <summary>Runs every layer on the prepared input.</summary>
    public void Run()
    {
        if (_shapes.Length == 0) throw new InvalidOperationException("PrepareInput must be called before Run");
        foreach (var layer in Network.Layers)
            layer.Run(new LayerArgs(_values, _shapes, layer, Threads));
    }

    /// <summary>The i-th network output of the last run.</summary>
    public ReadOnlySpan<float> Output(int i) => _values[Network.Outputs[i]].AsSpan(0, _shapes[Network.Outputs[i]].Size);

    /// <summary>The i-th output's shape.</summary>
    public TensorShape OutputShape(int i) => _shapes[Network.Outputs[i]];

    private void Plan(TensorShape input)
    {
        _shapes = Network.InferShapes(input);
        for (int v = 0; v < _values.Length; v++)
        {
            int size = _shapes[v].Size;
            if (_values[v] is null || _values[v].Length < size) _values[v] = new float[size];
        }
        _planned = input;
    }
}
