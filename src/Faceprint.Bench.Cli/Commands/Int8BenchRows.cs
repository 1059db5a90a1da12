using Faceprint.Cli.Commands;
using Faceprint.Cli.Output;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using Faceprint.Export.Onnx;
using Faceprint.OnnxRuntime;

namespace Faceprint.Bench.Cli.Commands;

/// <summary>
/// The int8 rows of <c>faceprint bench --int8</c>: a model's int8 form (calibrated on the bench's kind of random input)
/// timed against its fp32 form and against ONNX Runtime on the same quantized network exported as QDQ ONNX, each
/// pair interleaved in one run so the ratios hold on a busy machine.
/// </summary>
internal sealed class Int8BenchRows
{
    private const int CalibrationImages = 4;
    private readonly Network _int8;
    private readonly byte[] _onnx;
    private readonly string _model;
    private readonly int _side;
    private readonly long _macs;

    public Int8BenchRows(string model, Network fp32, int side, long macs)
    {
        _model = model;
        _side = side;
        _macs = macs;
        _int8 = Quantize(fp32, side);
        _onnx = new OnnxExporter().Export(_int8, side, side);
    }

    /// <summary>The int8 form of <paramref name="fp32"/> the bench times (and profiles): calibrated on the bench's kind of random input.</summary>
    public static Network Quantize(Network fp32, int side)
    {
        var calibrator = new ActivationCalibrator(fp32);
        var shape = new TensorShape(1, side, side, fp32.InputChannels);
        var random = new Random(11);
        var image = new float[shape.Size];
        for (int n = 0; n < CalibrationImages; n++)
        {
            for (int i = 0; i < image.Length; i++) image[i] = random.NextSingle() * 2 - 1;
            calibrator.Observe(image, shape);
        }
        // The same layers stay fp32, and the same take inputs per channel, as in `models quantize` by default, so the bench times what users run.
        var keep = NetworkQuantizer.KeptFp32ByDefault(fp32).ToHashSet();
        var perChannel = NetworkQuantizer.PerChannelByDefault(fp32).Where(l => !keep.Contains(l))
            .ToDictionary(l => l, l => (IReadOnlyList<QuantParams>)calibrator.ChannelRanges[l].Params());
        return NetworkQuantizer.Quantize(fp32, calibrator.Ranges.ToDictionary(kv => kv.Key, kv => kv.Value.Params(CalibrationMethod.MinMax)), keep,
            channelInputs: perChannel);
    }

    /// <summary>Times the int8 engine against <paramref name="fp32"/> and against ORT on the QDQ model, with <paramref name="input"/> as the batch.</summary>
    public BenchRow Time(InferenceSession fp32, ReadOnlySpan<float> input, TensorShape shape, int threads, int runs, double peak)
    {
        var int8 = new InferenceSession(_int8, threads);
        using var ort = new OrtModelRunner(_onnx, threads);
        input.CopyTo(int8.PrepareInput(shape));
        input.CopyTo(ort.PrepareInput(shape));
        var (fp32Runs, int8Runs) = BenchTimer.Interleaved(fp32.Run, int8.Run, runs);
        var (engineRuns, ortRuns) = BenchTimer.Interleaved(int8.Run, ort.Run, runs);
        int batch = shape.N;
        var engine = BenchStats.Of(engineRuns.Select(ms => ms / batch).ToList());
        var reference = BenchStats.Of(ortRuns.Select(ms => ms / batch).ToList());
        double int8Median = BenchStats.Of(int8Runs.ToList()).Median, fp32Median = BenchStats.Of(fp32Runs.ToList()).Median;
        double gflops = 2.0 * _macs / (engine.Median * 1e6), ortGflops = 2.0 * _macs / (reference.Median * 1e6);
        return new BenchRow(_model, "embed int8", threads, batch, runs, engine.Median, engine.P90, reference.Median, reference.P90,
            engine.Median / reference.Median, _macs, gflops, ortGflops, peak, 100 * gflops / peak, MaxAbsDiff(int8.Output(0), ort.Output(0)),
            Int8Fp32Ratio: int8Median / fp32Median);
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float worst = 0;
        for (int i = 0; i < a.Length; i++) worst = MathF.Max(worst, MathF.Abs(a[i] - b[i]));
        return worst;
    }
}
