using Faceprint.Core.Graph.Optimization;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Per-caller state for running a <see cref="Network"/>: the optimised graph (<see cref="NetworkOptimizer"/>), one
/// <see cref="MemoryPlan"/> (buffers shared by values whose lifetimes do not overlap), shapes cached per input
/// shape, per-worker scratch, and the thread count. Once an input shape has been seen, preparing and running it
/// again allocates nothing. Not thread-safe: one session per caller (engines pool them); layers parallelise
/// inside a run on the shared <see cref="Threading.WorkerPool"/>.
/// </summary>
public sealed class InferenceSession
{
    private const int MaxCachedShapes = 64;

    private readonly Network _executed;
    private readonly MemoryPlan _plan;
    private readonly float[][] _buffers;
    private readonly float[][] _values;
    private readonly Dictionary<TensorShape, ShapePlan> _shapePlans = [];
    private readonly ExecutionFrame _frame;
    private ShapePlan? _current;
    private int _reservedScratch = -1, _reservedThreads;

    /// <summary>Creates a session for <paramref name="network"/> running its optimised form on <paramref name="threads"/> threads.</summary>
    public InferenceSession(Network network, int threads = 1) : this(network, threads, optimize: true)
    {
    }

    /// <summary>Creates a session; <paramref name="optimize"/> = false runs the graph exactly as defined (for parity tests).</summary>
    internal InferenceSession(Network network, int threads, bool optimize)
    {
        Network = network;
        _executed = optimize ? network.Optimized : network;
        _plan = new MemoryPlan(_executed);
        _buffers = new float[_plan.SlotCount][];
        for (int s = 0; s < _buffers.Length; s++) _buffers[s] = [];
        _values = new float[_executed.ValueCount][];
        for (int v = 0; v < _values.Length; v++) _values[v] = [];
        _frame = new ExecutionFrame(_values, [], threads);
    }

    /// <summary>The network run (as given; the session executes its optimised equivalent).</summary>
    public Network Network { get; }

    /// <summary>Threads each layer may use.</summary>
    public int Threads
    {
        get => _frame.Threads;
        set => _frame.Threads = Math.Max(1, value);
    }

    /// <summary>Writable input buffer for <paramref name="shape"/> (plans buffers on a shape not seen before).</summary>
    public Span<float> PrepareInput(TensorShape shape)
    {
        if (_current is null || _current.Input != shape) Plan(shape);
        return _values[0].AsSpan(0, shape.Size);
    }

    /// <summary>Runs every layer on the prepared input.</summary>
    public void Run()
    {
        var plan = _current ?? throw new InvalidOperationException("PrepareInput must be called before Run");
        if (_reservedThreads != _frame.Threads || _reservedScratch < plan.ScratchFloats)
        {
            _frame.ReserveScratch(plan.ScratchFloats);
            _reservedThreads = _frame.Threads;
            _reservedScratch = plan.ScratchFloats;
        }
        foreach (var layer in _executed.Layers)
            layer.Run(new LayerArgs(_frame, layer, 0));
    }

    /// <summary>The i-th network output of the last run.</summary>
    public ReadOnlySpan<float> Output(int i) => _values[Network.Outputs[i]].AsSpan(0, _current!.Shapes[Network.Outputs[i]].Size);

    /// <summary>The i-th output's shape.</summary>
    public TensorShape OutputShape(int i) => _current!.Shapes[Network.Outputs[i]];

    private void Plan(TensorShape input)
    {
        if (!_shapePlans.TryGetValue(input, out var plan))
        {
            if (_shapePlans.Count >= MaxCachedShapes) _shapePlans.Clear();
            plan = new ShapePlan(input, _executed);
            _shapePlans[input] = plan;
        }
        for (int v = 0; v < _values.Length; v++)
        {
            int slot = _plan.SlotOf[v];
            if (slot < 0) continue;
            int size = plan.Shapes[v].Size;
            // Grow-only: a buffer serves every value assigned to it at every shape seen so far.
            if (_buffers[slot].Length < size) _buffers[slot] = GC.AllocateUninitializedArray<float>(size);
        }
        for (int v = 0; v < _values.Length; v++)
            if (_plan.SlotOf[v] >= 0) _values[v] = _buffers[_plan.SlotOf[v]];
        _frame.Shapes = plan.Shapes;
        _current = plan;
    }

    /// <summary>Shapes of every value and the largest per-worker scratch for one input shape.</summary>
    private sealed class ShapePlan
    {
        public ShapePlan(TensorShape input, Network network)
        {
            Input = input;
            Shapes = network.InferShapes(input);
            Span<TensorShape> scratch = stackalloc TensorShape[4];
            foreach (var layer in network.Layers)
            {
                for (int i = 0; i < layer.Inputs.Length; i++) scratch[i] = Shapes[layer.Inputs[i]];
                ScratchFloats = Math.Max(ScratchFloats, layer.ScratchFloats(scratch[..layer.Inputs.Length]));
            }
        }

        public TensorShape Input { get; }

        public TensorShape[] Shapes { get; }

        public int ScratchFloats { get; }
    }
}
