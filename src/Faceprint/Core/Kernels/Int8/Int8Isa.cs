using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Instruction set the 8-bit GEMM runs on. Every path computes the same 32-bit sums exactly, so a quantized network
/// gives bit-identical results on each; one is chosen once at run time.
/// </summary>
public enum Int8Isa
{
    /// <summary>Scalar integer loops that run anywhere .NET runs.</summary>
    Portable,

    /// <summary>
    /// AVX2 <c>vpmaddwd</c> on activations and weights widened to 16 bits (two products per 32-bit lane, exact: the
    /// faster <c>vpmaddubsw</c> would saturate its 16-bit pair sums at u8·s8 ranges).
    /// </summary>
    Avx2,

    /// <summary>AVX-VNNI <c>vpdpbusd</c> (256-bit): four u8·s8 products added into each 32-bit lane per instruction.</summary>
    AvxVnni,

    /// <summary>
    /// AVX-512 VNNI <c>vpdpbusd</c> (512-bit, 64 products per instruction) through a micro-kernel emitted as machine code at
    /// run time (<see cref="Native.Int8VnniKernels"/>): .NET exposes only the 256-bit form. Linux x64 only; the packed
    /// layout and the codes are <see cref="AvxVnni"/>'s.
    /// </summary>
    Avx512Vnni,
}

/// <summary>Which <see cref="Int8Isa"/> this CPU supports and which one the engine uses.</summary>
public static class Int8Isas
{
    /// <summary>The fastest path this CPU supports; <c>FACEPRINT_INT8_ISA=portable|avx2|avxvnni|avx512vnni</c> can lower it (for comparisons).</summary>
    public static Int8Isa Best { get; } = IsaChoice.Choose<Int8Isa>("FACEPRINT_INT8_ISA", IsSupported);

    /// <summary>True when this CPU (and runtime) can run <paramref name="isa"/>.</summary>
    public static bool IsSupported(Int8Isa isa) => isa switch
    {
        Int8Isa.Avx512Vnni => Avx2.IsSupported && Fma.IsSupported && Native.Int8VnniKernels.Instance is not null,
        Int8Isa.AvxVnni => AvxVnni.IsSupported && Avx2.IsSupported && Fma.IsSupported,
        Int8Isa.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    /// <summary>Every path this CPU can run (tests check each against the reference loops).</summary>
    public static IReadOnlyList<Int8Isa> Supported { get; } = Enum.GetValues<Int8Isa>().Where(IsSupported).ToArray();

    /// <summary>Inputs (K) one 32-bit lane of the packed layout holds: four bytes for VNNI, two 16-bit values for AVX2.</summary>
    internal static int KStep(Int8Isa isa) => isa == Int8Isa.Avx2 ? 2 : 4;

    /// <summary>The path whose A codes <paramref name="isa"/> reads (the emitted kernel reads AVX-VNNI's bytes), for the quantizer.</summary>
    internal static Int8Isa CodeLayout(Int8Isa isa) => isa == Int8Isa.Avx512Vnni ? Int8Isa.AvxVnni : isa;
}
