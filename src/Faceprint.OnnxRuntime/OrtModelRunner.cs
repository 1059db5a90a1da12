using Faceprint.Core.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Faceprint.OnnxRuntime;

/// <summary>
/// Runs an ONNX model in ONNX Runtime the way a fair speed comparison needs: intra-op threads = N, inter-op 1,
/// sequential execution, every graph optimisation, and input/output OrtValues over arrays allocated once per
/// input shape and bound with IOBinding, so a timed <see cref="Run"/> does no allocation or copying of its own.
/// Mirrors <see cref="Core.Graph.InferenceSession"/>: prepare the input, write it, run, read the outputs.
/// Not thread-safe: one runner per thread.
/// </summary>
public sealed class OrtModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private Prepared? _prepared;

    /// <summary>Loads the model bytes with <paramref name="threads"/> intra-op threads.</summary>
    public OrtModelRunner(byte[] model, int threads)
    {
        Threads = Math.Max(1, threads);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        if (_session.InputNames.Count != 1) throw new ArgumentException($"the model has {_session.InputNames.Count} inputs; the runner feeds exactly one");
        _inputName = _session.InputNames[0];
        _outputNames = [.. _session.OutputNames];
    }

    /// <summary>Intra-op threads.</summary>
    public int Threads { get; }

    /// <summary>Number of model outputs.</summary>
    public int OutputCount => _outputNames.Length;

    /// <summary>
    /// Writable input buffer for an NHWC <paramref name="shape"/>. On a shape change it allocates and binds new
    /// buffers, learning the output shapes from one untimed run.
    /// </summary>
    public Span<float> PrepareInput(TensorShape shape)
    {
        if (_prepared is null || _prepared.Shape != shape)
        {
            _prepared?.Dispose();
            _prepared = Prepare(shape);
        }
        return _prepared.Input;
    }

    /// <summary>Runs the model on the prepared input into the bound output buffers.</summary>
    public void Run()
    {
        if (_prepared is null) throw new InvalidOperationException("PrepareInput must be called before Run");
        _session.RunWithBinding(_runOptions, _prepared.Binding);
    }

    /// <summary>The i-th output of the last run.</summary>
    public ReadOnlySpan<float> Output(int i) => (_prepared ?? throw new InvalidOperationException("nothing has run")).Outputs[i];

    /// <summary>The i-th output's dimensions.</summary>
    public IReadOnlyList<long> OutputShape(int i) => (_prepared ?? throw new InvalidOperationException("nothing has run")).OutputShapes[i];

    /// <inheritdoc />
    public void Dispose()
    {
        _prepared?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private Prepared Prepare(TensorShape shape)
    {
        long[] inputDims = [shape.N, shape.H, shape.W, shape.C];
        var input = new float[shape.Size];
        var inputValue = OrtValue.CreateTensorValueFromMemory(input, inputDims);
        long[][] outputShapes;
        using (var results = _session.Run(_runOptions, [_inputName], [inputValue], _outputNames))
            outputShapes = results.Select(r => r.GetTensorTypeAndShape().Shape).ToArray();
        var outputs = outputShapes.Select(d => new float[d.Aggregate(1L, (a, b) => a * b)]).ToArray();
        var outputValues = outputs.Select((o, i) => OrtValue.CreateTensorValueFromMemory(o, outputShapes[i])).ToArray();
        var binding = _session.CreateIoBinding();
        binding.BindInput(_inputName, inputValue);
        for (int i = 0; i < outputs.Length; i++) binding.BindOutput(_outputNames[i], outputValues[i]);
        binding.SynchronizeBoundInputs();
        return new Prepared(shape, input, outputs, outputShapes, [inputValue, .. outputValues], binding);
    }

    /// <summary>Buffers, their OrtValues and the binding for one input shape.</summary>
    private sealed class Prepared(TensorShape shape, float[] input, float[][] outputs, long[][] outputShapes, OrtValue[] values, OrtIoBinding binding) : IDisposable
    {
        public TensorShape Shape => shape;
        public float[] Input => input;
        public float[][] Outputs => outputs;
        public long[][] OutputShapes => outputShapes;
        public OrtIoBinding Binding => binding;

        public void Dispose()
        {
            binding.Dispose();
            foreach (var v in values) v.Dispose();
        }
    }
}
