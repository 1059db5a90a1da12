using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Instruction set the 8-bit depthwise conv runs on. Every path computes the same 32-bit sums and the same float
/// epilogue, so results are bit-identical; one is chosen once at run time.
/// </summary>
public enum Int8DepthwiseIsa
{
    /// <summary>Scalar integer loops that run anywhere .NET runs.</summary>
    Portable,

    /// <summary>AVX2: 16 channels per block, codes widened to 16 bits, two taps per <c>vpmaddwd</c> lane.</summary>
    Avx2,

    /// <summary>AVX-512BW: the same arithmetic on 32 channels per block.</summary>
    Avx512BW,
}

/// <summary>Which <see cref="Int8DepthwiseIsa"/> this CPU supports and which one the engine uses.</summary>
public static class Int8DepthwiseIsas
{
    /// <summary>The fastest path this CPU supports; <c>FACEPRINT_INT8_DW_ISA=portable|avx2|avx512bw</c> can lower it (for comparisons).</summary>
    public static Int8DepthwiseIsa Best { get; } = IsaChoice.Choose<Int8DepthwiseIsa>("FACEPRINT_INT8_DW_ISA", IsSupported);

    /// <summary>True when this CPU (and runtime) can run <paramref name="isa"/>.</summary>
    public static bool IsSupported(Int8DepthwiseIsa isa) => isa switch
    {
        Int8DepthwiseIsa.Avx512BW => Avx512BW.IsSupported && Avx512F.IsSupported && Avx2.IsSupported && Fma.IsSupported,
        Int8DepthwiseIsa.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    /// <summary>Every path this CPU can run (tests check each against the reference loop).</summary>
    public static IReadOnlyList<Int8DepthwiseIsa> Supported { get; } = Enum.GetValues<Int8DepthwiseIsa>().Where(IsSupported).ToArray();

    /// <summary>Channels one block of <paramref name="isa"/> covers (the packed layout's unit).</summary>
    internal static int BlockChannels(Int8DepthwiseIsa isa) => isa switch
    {
        Int8DepthwiseIsa.Avx512BW => 32,
        Int8DepthwiseIsa.Avx2 => 16,
        _ => 1,
    };
}
