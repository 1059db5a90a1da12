using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>One step of the int8 dot product: add the products of a broadcast A word and a packed B register into 32-bit sums.</summary>
internal interface IInt8Dot
{
    static abstract Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b);
}

/// <summary><c>vpdpbusd</c>: four u8·s8 products per lane.</summary>
internal readonly struct VnniDot : IInt8Dot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b) =>
        AvxVnni.MultiplyWideningAndAdd(acc, a.AsByte(), b.AsSByte());
}

/// <summary><c>vpmaddwd</c> + <c>vpaddd</c> on 16-bit codes: two products per lane, exact (|a·b| ≤ 255·127).</summary>
internal readonly struct Avx2Dot : IInt8Dot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()));
}
