using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>One step of the int8 dot product: add the products of a broadcast A word and a packed B register into 32-bit sums.</summary>
internal interface IInt8Dot
{
    /// <summary>Rows per register tile (two accumulators each).</summary>
    static abstract int Rows { get; }

    static abstract Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b);
}

/// <summary><c>vpdpbusd</c>: four u8·s8 products per lane.</summary>
internal readonly struct VnniDot : IInt8Dot
{
    // 14 accumulators: the JIT gives vpdpbusd destinations only ymm0-15 and spills beyond them (12 rows measured ~20% slower).
    public static int Rows => 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b) =>
        AvxVnni.MultiplyWideningAndAdd(acc, a.AsByte(), b.AsSByte());
}

/// <summary><c>vpmaddwd</c> + <c>vpaddd</c> on 16-bit codes: two products per lane, exact (|a·b| ≤ 255·127).</summary>
internal readonly struct Avx2Dot : IInt8Dot
{
    // 24 accumulators where AVX-512 lends the JIT 32 vector registers, else 12.
    public static int Rows => Avx512F.VL.IsSupported ? 12 : 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()));
}
