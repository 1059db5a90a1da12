namespace Faceprint.Core.Kernels;

/// <summary>
/// Operands of one <see cref="StemConvKernel"/> call as raw pointers (the packed kernel and code terms are pinned; the
/// caller fixes the rest for the call): the kernel packed as the GEMM packs it (<see cref="GemmWeights"/>, k in
/// (ky, kx, ci) order), the input strides the register tile walks, and where the epilogue writes: floats to
/// <see cref="C"/>, or u8 codes to <see cref="Codes"/> with the per-channel terms of <see cref="StemConvCodes"/>.
/// </summary>
internal readonly unsafe struct StemConvCall
{
    public StemConvCall(GemmWeights weights, float* packed, float* bias, float* slopes, in ConvGeometry g, float* c, float* residual,
        byte* codes, float* codeInverse, int* codeZeroPoints)
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
        C = c;
        Residual = residual;
        Codes = codes;
        CodeInverse = codeInverse;
        CodeZeroPoints = codeZeroPoints;
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

    /// <summary>The whole float output (null when the call writes codes).</summary>
    public float* C { get; }

    /// <summary>The residual added after the activation, the output's size, or null.</summary>
    public float* Residual { get; }

    /// <summary>The whole code output, one byte per element, or null for floats.</summary>
    public byte* Codes { get; }

    /// <summary>1 / scale per output channel (padded to whole panels) when writing codes.</summary>
    public float* CodeInverse { get; }

    /// <summary>Zero point per output channel (padded likewise) when writing codes.</summary>
    public int* CodeZeroPoints { get; }
}
