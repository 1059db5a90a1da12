using System.Diagnostics;
using Faceprint.Core.Graph.Optimization;
using Faceprint.Core.Graph.Profiling;
using Faceprint.Core.Tensors;
using Faceprint.Core.Threading;

namespace Faceprint.Core.Graph;

/// <summary>
/// Per-caller state for running a <see cref="Network"/>: the optimised graph (<see cref="NetworkOptimizer"/>), one
/// <see cref="MemoryPlan"/> (buffers shared by values whose lifetimes do not overlap), shapes cached per input
/// shape, per-worker scratch, and the thread count. Once an input shape has been seen, preparing and running it
/// again allocates nothing. Not thread-safe: one session per caller (engines pool them).
/// <para>
/// Threads are used in one of two ways. When one image's activations are large (a 112×112 face net), a batch runs
/// image by image, each worker pushing whole images through the network in its own cache-sized buffers — a batch
/// of 32 then costs 32 single-image runs split over the threads, with no synchronisation between layers. Small
/// images (MTCNN's crops) and single images run layer by layer with each layer's rows split over the threads.
/// Both rely on every layer computing each image of a batch independently.
/// </para>
/// <para>
/// Image by image, a network that ends in a heavy fully connected layer over small per-image values (the ViT's
/// feature head reads 38–151 MB of weights to make one row per image) would stream those weights from memory once per
/// image. So the layers from the first such layer on (the tail, every value there small) run once over the whole batch
/// after the images: the head becomes a GEMM with a row per image and reads its weights once per row tile.
/// </para>
/// <para>
/// Likewise, on one thread, when the layers before the tail hold more weights than stay cached from one image to the
/// next (the ViT's blocks: 38–151 MB), the images go through them in small groups, so each block's weights come from
/// memory once per group rather than once per image, while the group's largest value still fits a few MB.
/// </para>
/// </summary>
public sealed class InferenceSession : IParallelWork
{
    // Above this many floats in one image's largest value, a batch runs image by image (the value alone then
    // outgrows L1/L2, so batching layers only adds memory traffic).
    private const int PerImageFloats = 32 * 1024;

    // A fully connected layer with at least this many weights (2 MB, beyond a core's L2, so every image would stream
    // them from L3 or memory again) starts a batched tail: ViT's feature head, and the last FFN projection of the
    // reparameterized FaceLiVT-M, which runs after the global pool (3 MB).
    private const long BatchedTailWeights = 1 << 19;

    // Image by image, layers before the tail with at least this many weights (32 MB, beyond what a core keeps cached
    // from one image to the next) run on groups of images, each group's largest value at most GroupFloats (2.5 MB: ViT-S
    // runs 2 images a group, ViT-T 4; in one-process A/B runs larger groups gained nothing more).
    private const long GroupedBodyWeights = 8L << 20;
    private const int GroupFloats = 640 * 1024;

    private const int MaxCachedShapes = 64;

    private readonly Network _executed;
    private readonly MemoryPlan _plan;
    private readonly float[][] _buffers;
    private readonly float[][] _values;
    private readonly Dictionary<TensorShape, ShapePlan> _shapePlans = [];
    private readonly ExecutionFrame _frame;
    private readonly bool _allowPerImage;
    private InferenceSession[] _imageSessions = [];
    private ShapePlan? _current;
    private int _groupImages = 1;
    private int _reservedScratch = -1, _reservedThreads;

    /// <summary>Creates a session for <paramref name="network"/> running its optimised form on <paramref name="threads"/> threads.</summary>
    public InferenceSession(Network network, int threads = 1) : this(network, threads, optimize: true)
    {
    }

    /// <summary>Creates a session; <paramref name="optimize"/> = false runs the graph exactly as defined (for parity tests).</summary>
    internal InferenceSession(Network network, int threads, bool optimize) : this(network, threads, optimize, perImage: true)
    {
    }

    private InferenceSession(Network network, int threads, bool optimize, bool perImage)
    {
        _allowPerImage = perImage;
        Network = network;
        _executed = optimize ? network.Optimized : network;
        _plan = new MemoryPlan(_executed);
        _buffers = new float[_plan.SlotCount][];
        for (int s = 0; s < _buffers.Length; s++) _buffers[s] = [];
        _values = new float[_executed.ValueCount][];
        for (int v = 0; v < _values.Length; v++) _values[v] = [];
        _frame = new ExecutionFrame(_values, [], threads);
    }

    /// <summary>Most images a worker runs together when a batch runs image by image (1: one at a time; for tests and A/B timing).</summary>
    internal int MaxGroupImages { get; set; } = int.MaxValue;

    /// <summary>The network run (as given; the session executes its optimised equivalent).</summary>
    public Network Network { get; }

    /// <summary>Threads each layer may use.</summary>
    public int Threads
    {
        get => _frame.Threads;
        set => _frame.Threads = Math.Max(1, value);
    }

    /// <summary>
    /// Per-layer timing of the runs that follow, or null (the default: runs then read no clock). A batch that runs
    /// image by image (alone or in groups) records each image as one run, so times are then per image.
    /// </summary>
    public LayerProfile? Profile { get; private set; }

    /// <summary>Starts recording per-layer times (see <see cref="Profile"/>) and returns the record.</summary>
    public LayerProfile StartProfiling()
    {
        Profile = new LayerProfile(_executed.Layers);
        foreach (var one in _imageSessions) one.Profile = Profile;
        return Profile;
    }

    /// <summary>Stops recording per-layer times.</summary>
    public void StopProfiling()
    {
        Profile = null;
        foreach (var one in _imageSessions) one.Profile = null;
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
        if (plan.PerImage)
        {
            _groupImages = WorkerGroupImages(plan);
            int groups = (plan.Input.N + _groupImages - 1) / _groupImages, threads = Math.Min(_frame.Threads, groups);
            EnsureImageSessions(threads);
            WorkerPool.Shared.Run(this, groups, threads);
            RunLayers(plan.TailStart, _executed.Layers.Count);
            return;
        }
        RunLayers(0, plan.TailStart);
        Profile?.EndRun(plan.Shapes);
    }

    /// <summary>Layers [<paramref name="start"/>, <paramref name="end"/>) on this session's values and threads.</summary>
    private void RunLayers(int start, int end)
    {
        // Indexed loops: enumerating an IReadOnlyList through its interface would allocate an enumerator per run.
        var layers = _executed.Layers;
        var profile = Profile;
        if (profile is null)
        {
            for (int i = start; i < end; i++) layers[i].Run(new LayerArgs(_frame, layers[i], 0));
            return;
        }
        // A batched tail's time covers every image, and the profile counts images as runs, so its mean is per image too.
        for (int i = start; i < end; i++)
        {
            long begin = Stopwatch.GetTimestamp();
            layers[i].Run(new LayerArgs(_frame, layers[i], 0));
            profile.Add(i, Stopwatch.GetTimestamp() - begin);
        }
    }

    /// <summary>Runs image group <paramref name="chunk"/> of the batch through worker <paramref name="worker"/>'s own session.</summary>
    void IParallelWork.RunChunk(int chunk, int worker)
    {
        var plan = _current!;
        var one = _imageSessions[worker];
        int first = chunk * _groupImages, images = Math.Min(_groupImages, plan.Input.N - first);
        var input = _values[0].AsSpan(first * plan.Input.PerImage, images * plan.Input.PerImage);
        input.CopyTo(one.PrepareInput(plan.Input with { N = images }));
        one.RunLayers(0, plan.TailStart);
        one.Profile?.EndRun(one._current!.Shapes, images);
        var handOff = plan.HandOff;
        for (int i = 0; i < handOff.Length; i++)
        {
            int v = handOff[i];
            int per = plan.Shapes[v].PerImage;
            one._values[v].AsSpan(0, images * per).CopyTo(_values[v].AsSpan(first * per, images * per));
        }
    }

    private void EnsureImageSessions(int count)
    {
        if (_imageSessions.Length >= count) return;
        int had = _imageSessions.Length;
        Array.Resize(ref _imageSessions, count);
        for (int i = had; i < count; i++) _imageSessions[i] = new InferenceSession(_executed, 1, optimize: false, perImage: false) { Profile = Profile };
    }

    /// <summary>
    /// Index of the first layer run once over the whole batch after an image-by-image run (the layer count when none
    /// is, or when the batch at <paramref name="input"/> runs layer by layer); for tests.
    /// </summary>
    internal int BatchedTailStart(TensorShape input)
    {
        PrepareInput(input);
        return _current!.PerImage ? _current.TailStart : _executed.Layers.Count;
    }

    /// <summary>Images a worker runs together at <paramref name="input"/> (1 unless the batch runs image by image in groups); for tests.</summary>
    internal int GroupImages(TensorShape input)
    {
        PrepareInput(input);
        return _current!.PerImage ? WorkerGroupImages(_current) : 1;
    }

    // The plan's group on one thread. Several workers walk the same blocks at about the same time and share their
    // weights through L3 already; there groups measured 4–6 % slower for ViT-S at batch 32 on 2 threads (one-process
    // A/B, loaded machine), while one thread gained 2–4 % (ViT-S batch 8, ViT-T batch 16).
    private int WorkerGroupImages(ShapePlan plan) => _frame.Threads > 1 ? 1 : Math.Min(Math.Min(plan.GroupImages, MaxGroupImages), plan.Input.N);

    /// <summary>The i-th network output of the last run.</summary>
    public ReadOnlySpan<float> Output(int i) => _values[Network.Outputs[i]].AsSpan(0, _current!.Shapes[Network.Outputs[i]].Size);

    /// <summary>The i-th output's shape.</summary>
    public TensorShape OutputShape(int i) => _current!.Shapes[Network.Outputs[i]];

    private void Plan(TensorShape input)
    {
        if (!_shapePlans.TryGetValue(input, out var plan))
        {
            if (_shapePlans.Count >= MaxCachedShapes) _shapePlans.Clear();
            plan = new ShapePlan(input, _executed, _allowPerImage);
            _shapePlans[input] = plan;
        }
        for (int v = 0; v < _values.Length; v++)
        {
            int slot = _plan.SlotOf[v];
            // Image by image, only the input, the values handed to the batch and the tail's values exist at batch size.
            if (slot < 0 || (plan.PerImage && !plan.AtBatchSize[v])) continue;
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
        public ShapePlan(TensorShape input, Network network, bool allowPerImage)
        {
            Input = input;
            Shapes = network.InferShapes(input);
            PerImage = allowPerImage && input.N > 1 && Shapes.Max(s => s.PerImage) >= PerImageFloats;
            TailStart = PerImage ? FindTail(network, Shapes) : network.Layers.Count;
            GroupImages = PerImage ? WeightHeavyGroupImages(network, Shapes, TailStart) : 1;
            AtBatchSize = new bool[network.ValueCount];
            AtBatchSize[0] = true;
            var handOff = new List<int>();
            for (int i = TailStart; i < network.Layers.Count; i++)
            {
                var layer = network.Layers[i];
                AtBatchSize[layer.Output] = true;
                foreach (int v in layer.Inputs)
                    if (!AtBatchSize[v] && !handOff.Contains(v)) handOff.Add(v);
            }
            // Outputs written by the images' layers come back too; the tail's are written at batch size already.
            foreach (int v in network.Outputs)
                if (!AtBatchSize[v] && !handOff.Contains(v)) handOff.Add(v);
            foreach (int v in handOff) AtBatchSize[v] = true;
            HandOff = [.. handOff];
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

        /// <summary>Run the batch image by image (see the class remarks).</summary>
        public bool PerImage { get; }

        /// <summary>First layer of the batched tail (the layer count when there is none; image by image only).</summary>
        public int TailStart { get; }

        /// <summary>Images a worker runs together before the tail (image by image only; 1 unless the layers there are weight-heavy).</summary>
        public int GroupImages { get; }

        /// <summary>Values the images' sessions copy into the batch: the tail's inputs and the outputs they write.</summary>
        public int[] HandOff { get; }

        /// <summary>Values that live at batch size when the batch runs image by image: the input, the hand-off and the tail's values.</summary>
        public bool[] AtBatchSize { get; }

        // Weight-heavy layers before the tail run on as many images as keep the largest value within GroupFloats.
        private static int WeightHeavyGroupImages(Network network, TensorShape[] shapes, int tailStart)
        {
            long weights = 0;
            int largest = 1;
            for (int i = 0; i < tailStart; i++)
            {
                weights += network.Layers[i].ParameterCount;
                largest = Math.Max(largest, shapes[network.Layers[i].Output].PerImage);
            }
            return weights < GroupedBodyWeights ? 1 : Math.Max(1, GroupFloats / largest);
        }

        // The tail starts at the first heavy fully connected layer from which on every value is small per image; the
        // layers after it run batched too, since the images' sessions cannot resume past it.
        private static int FindTail(Network network, TensorShape[] shapes)
        {
            var layers = network.Layers;
            int start = layers.Count;
            while (start > 0 && shapes[layers[start - 1].Output].PerImage < PerImageFloats) start--;
            for (int i = start; i < layers.Count; i++)
                if (layers[i] is FullyConnectedLayer fc && (long)fc.InFeatures * fc.OutFeatures >= BatchedTailWeights) return i;
            return layers.Count;
        }
    }
}
