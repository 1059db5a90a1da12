using static TorchSharp.torch;

namespace Faceprint.Training;

/// <summary>
/// Measures libtorch's float32 CPU convolutions — forward, and the gradients to input and weight that training uses —
/// against its float64 convolution (which oneDNN never runs) on the shapes FaceLiVT, ViT and MobileFaceNet need:
/// dense 3×3 at stride 1 and 2 with channel counts that are and are not multiples of the SIMD block width (8 or 16
/// floats), the 3-channel stem, depthwise 3×3 and pointwise 1×1. Inputs and weights are a fixed pattern, so the check
/// draws nothing from torch's global generator.
/// </summary>
internal static class ConvolutionCheck
{
    /// <summary>
    /// Largest error tolerated, relative to the largest reference value. float32 rounding of a k-term dot product is at
    /// most about k·2⁻²⁴ of the sum of its |terms| — under 2·10⁻⁵ for the ≤ 288 terms here — so this leaves a wide
    /// margin for rounding while a convolution that computes something else is off by tens of percent.
    /// </summary>
    public const double Tolerance = 1e-3;

    private static readonly (int In, int Out, int Kernel, int Stride, bool Depthwise)[] Cases =
    [
        (3, 20, 3, 2, false),
        (20, 40, 3, 2, false),
        (20, 24, 3, 1, false),
        (32, 16, 3, 1, false),
        (20, 20, 3, 1, true),
        (40, 40, 3, 2, true),
        (20, 40, 1, 2, false),
        (40, 120, 1, 1, false),
    ];

    /// <summary>The worst relative error over every case, of the output and of both gradients (infinity for a NaN).</summary>
    public static double WorstRelativeError() => Errors().Max(e => Math.Max(e.Forward, e.Backward));

    /// <summary>Each case (e.g. <c>20→40 3×3/2</c>) with the relative error of its output and of its gradients.</summary>
    public static IReadOnlyList<(string Case, double Forward, double Backward)> Errors() =>
        Cases.Select(c => (FormattableString.Invariant($"{c.In}→{c.Out} {c.Kernel}×{c.Kernel}/{c.Stride}{(c.Depthwise ? " depthwise" : "")}"),
            RelativeErrors(c.In, c.Out, c.Kernel, c.Stride, c.Depthwise))).Select(t => (t.Item1, t.Item2.Forward, t.Item2.Backward)).ToList();

    private static (double Forward, double Backward) RelativeErrors(int inChannels, int outChannels, int kernel, int stride, bool depthwise)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        const int Batch = 2, Side = 14;
        int groups = depthwise ? inChannels : 1;
        var x = Pattern([Batch, inChannels, Side, Side], 0.1);
        var w = Pattern([outChannels, inChannels / groups, kernel, kernel], 0.7).mul_(1.0 / Math.Sqrt(inChannels / groups * kernel * kernel));
        var (y32, dx32, dw32) = Run(x, w, stride, kernel / 2, groups);
        var (y64, dx64, dw64) = Run(x.to(ScalarType.Float64), w.to(ScalarType.Float64), stride, kernel / 2, groups);
        return (Relative(y32, y64), Math.Max(Relative(dx32, dx64), Relative(dw32, dw64)));
    }

    private static (Tensor Y, Tensor Dx, Tensor Dw) Run(Tensor x, Tensor w, int stride, int padding, int groups)
    {
        var input = x.detach().requires_grad_(true);
        var weight = w.detach().requires_grad_(true);
        var y = nn.functional.conv2d(input, weight, strides: [stride, stride], padding: [padding, padding], groups: groups);
        // A fixed upstream gradient that is not all ones, so every output position weighs differently.
        using var upstream = Pattern(y.shape, 0.3).to(y.dtype);
        y.backward([upstream]);
        return (y.detach(), input.grad!, weight.grad!);
    }

    private static double Relative(Tensor actual, Tensor reference)
    {
        double scale = reference.abs().max().item<double>();
        double error = (actual.to(ScalarType.Float64) - reference).abs().max().item<double>();
        double relative = error / Math.Max(scale, 1e-30);
        // NaN (a kernel reading garbage) must count as the worst failure, hence the negated comparison.
        return !(relative >= 0) ? double.PositiveInfinity : relative;
    }

    /// <summary>Values in [−1, 1) from the fractional parts of multiples of the plastic number's inverse (well spread, not periodic).</summary>
    private static Tensor Pattern(long[] shape, double phase)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        return arange(count, ScalarType.Float64).mul_(0.7548776662466927).add_(phase).frac_().mul_(2).sub_(1).to(ScalarType.Float32).reshape(shape);
    }
}
