using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels;

/// <summary>Instruction set a kernel runs on. Every kernel has all three paths; one is chosen once at run time.</summary>
public enum KernelIsa
{
    /// <summary><see cref="Vector{T}"/> code that runs anywhere .NET runs.</summary>
    Portable,

    /// <summary>256-bit AVX2 with FMA.</summary>
    Avx2,

    /// <summary>512-bit AVX-512 F (with masked loads/stores for channel tails).</summary>
    Avx512,
}

/// <summary>Which <see cref="KernelIsa"/> this CPU supports and which one the engine uses.</summary>
public static class KernelIsas
{
    /// <summary>The fastest path this CPU supports; <c>FACEPRINT_ISA=portable|avx2|avx512</c> can lower it (for comparisons).</summary>
    public static KernelIsa Best { get; } = IsaChoice.Choose<KernelIsa>("FACEPRINT_ISA", IsSupported);

    /// <summary>True when this CPU (and runtime) can run <paramref name="isa"/>.</summary>
    public static bool IsSupported(KernelIsa isa) => isa switch
    {
        KernelIsa.Avx512 => Avx512F.IsSupported && Avx512F.VL.IsSupported && Fma.IsSupported,
        KernelIsa.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    /// <summary>Every path this CPU can run (tests check each against the reference loops).</summary>
    public static IReadOnlyList<KernelIsa> Supported { get; } =
        Enum.GetValues<KernelIsa>().Where(IsSupported).ToArray();

    /// <summary>Floats in one SIMD register of <paramref name="isa"/>.</summary>
    public static int Width(KernelIsa isa) => isa switch
    {
        KernelIsa.Avx512 => 16,
        KernelIsa.Avx2 => 8,
        _ => Vector<float>.Count,
    };
}
