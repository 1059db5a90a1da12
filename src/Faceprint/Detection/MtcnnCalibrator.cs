using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Tensors;
using Faceprint.Imaging;

namespace Faceprint.Detection;

/// <summary>
/// Calibrates int8 activation ranges for MTCNN on photos: runs the fp32 cascade on each photo and shows every net
/// exactly the inputs the detector gives it (each pyramid level to P-Net, each candidate's crop to R-Net and O-Net),
/// so the ranges are those the detector meets, not those of some other preprocessing.
/// </summary>
public sealed class MtcnnCalibrator
{
    private readonly ActivationCalibrator[] _nets;
    private readonly MtcnnDetector _detector;

    /// <summary>Prepares calibration of the three fp32 nets.</summary>
    public MtcnnCalibrator(Network pnet, Network rnet, Network onet)
    {
        _nets = [new ActivationCalibrator(pnet), new ActivationCalibrator(rnet), new ActivationCalibrator(onet)];
        _detector = new MtcnnDetector(pnet, rnet, onet, 1, ObserveInput);
    }

    /// <summary>Photos observed so far.</summary>
    public int Photos { get; private set; }

    /// <summary>Runs the cascade on <paramref name="photo"/> and adds what each net saw to its ranges.</summary>
    public void Observe(RgbImage photo, MtcnnOptions? options = null, CancellationToken ct = default)
    {
        _detector.Detect(photo, options, ct);
        Photos++;
    }

    private void ObserveInput(int net, ReadOnlySpan<float> input, TensorShape shape)
    {
        // Crops come as a batch; calibration observes one image at a time.
        var one = shape with { N = 1 };
        for (int i = 0; i < shape.N; i++) _nets[net].Observe(input.Slice(i * one.Size, one.Size), one);
    }

    /// <summary>The plans for what was observed; layers named in <paramref name="keepFp32"/> stay fp32.</summary>
    public MtcnnQuantization Plans(CalibrationMethod method, IReadOnlyCollection<string> keepFp32)
    {
        if (Photos == 0) throw new InvalidOperationException("no calibration photos observed");
        var plans = _nets.Select(net =>
        {
            var inputs = net.Ranges.Where(kv => !keepFp32.Contains(kv.Key) && kv.Value.Images > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Params(method));
            var kept = keepFp32.Where(net.Ranges.ContainsKey).ToArray();
            return new QuantizationPlan(method, Photos, inputs, kept);
        }).ToArray();
        return new MtcnnQuantization(plans[0], plans[1], plans[2]);
    }
}
