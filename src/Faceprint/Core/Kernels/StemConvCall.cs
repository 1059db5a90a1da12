namespace Faceprint.Core.Kernels;

/// <summary>
/// Operands of one <see cref="StemConvKernel"/> call as raw pointers (the packed kernel is pinned; the caller fixes the
/// rest for the call): the kernel packed as the GEMM packs it (<see cref="GemmWeights"/>, k in (ky, kx, ci) order) and
/// the input strides the register tile walks.
/// </summary>
internal readonly unsafe struct StemConvCall
{
    public StemConvCall(GemmWeights weights, float* packed, float* bias, float* slopes, in ConvGeometry g)
    {
        Packed = packed;
        Bias = bias;
        Slopes = slopes;
        K = weights.K;
        N = weights.N;
        Activation = weights.Activation.Kind;
        Cin = g.InC;
        KernelW = g.KernelW;
        PixelStep = g.StrideW * g.InC;
        LineStep = g.InW * g.InC;
    }

    public float* Packed { get; }
    public float* Bias { get; }
    public float* Slopes { get; }
    public int K { get; }
    public int N { get; }
    public ActivationKind Activation { get; }
    public int Cin { get; }
    public int KernelW { get; }

    /// <summary>Floats between the windows of horizontally adjacent output pixels (stride·cin).</summary>
    public int PixelStep { get; }

    /// <summary>Floats between input rows (width·cin).</summary>
    public int LineStep { get; }
}
