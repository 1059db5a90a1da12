using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Row-major C[M,N] = A[M,K]·B[K,N] + bias[N] with an unpacked B, for operands made at run time (attention
/// scores and values) where packing B first would cost more than it saves; weights use <see cref="Gemm"/>.
/// </summary>
public static class RowMajorGemm
{
    /// <summary>Computes rows [rowStart, rowEnd) of C.</summary>
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c,
        int k, int n, int rowStart, int rowEnd)
    {
        int row = rowStart;
        for (; row + 4 <= rowEnd; row += 4) FourRows(a, b, bias, c, k, n, row);
        for (; row < rowEnd; row++) OneRow(a.Slice(row * k, k), b, bias, c.Slice(row * n, n), k, n);
    }

    private static void FourRows(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, int k, int n, int row)
    {
        int width = Vector<float>.Count;
        ref float a0 = ref Unsafe.AsRef(in a[row * k]);
        ref float a1 = ref Unsafe.Add(ref a0, k);
        ref float a2 = ref Unsafe.Add(ref a1, k);
        ref float a3 = ref Unsafe.Add(ref a2, k);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float biasRef = ref MemoryMarshal.GetReference(bias);
        ref float c0 = ref c[row * n];
        int j = 0;
        for (; j + width <= n; j += width)
        {
            var init = Vector.LoadUnsafe(ref biasRef, (nuint)j);
            Vector<float> s0 = init, s1 = init, s2 = init, s3 = init;
            for (int p = 0; p < k; p++)
            {
                var bv = Vector.LoadUnsafe(ref bRef, (nuint)(p * n + j));
                s0 += new Vector<float>(Unsafe.Add(ref a0, p)) * bv;
                s1 += new Vector<float>(Unsafe.Add(ref a1, p)) * bv;
                s2 += new Vector<float>(Unsafe.Add(ref a2, p)) * bv;
                s3 += new Vector<float>(Unsafe.Add(ref a3, p)) * bv;
            }
            s0.StoreUnsafe(ref c0, (nuint)j);
            s1.StoreUnsafe(ref c0, (nuint)(n + j));
            s2.StoreUnsafe(ref c0, (nuint)(2 * n + j));
            s3.StoreUnsafe(ref c0, (nuint)(3 * n + j));
        }
        for (; j < n; j++)
        {
            float s0 = bias[j], s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0; p < k; p++)
            {
                float bv = b[p * n + j];
                s0 += Unsafe.Add(ref a0, p) * bv;
                s1 += Unsafe.Add(ref a1, p) * bv;
                s2 += Unsafe.Add(ref a2, p) * bv;
                s3 += Unsafe.Add(ref a3, p) * bv;
            }
            Unsafe.Add(ref c0, j) = s0;
            Unsafe.Add(ref c0, n + j) = s1;
            Unsafe.Add(ref c0, 2 * n + j) = s2;
            Unsafe.Add(ref c0, 3 * n + j) = s3;
        }
    }

    private static void OneRow(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, int k, int n)
    {
        bias.CopyTo(c);
        for (int p = 0; p < k; p++)
        {
            float av = a[p];
            var bRow = b.Slice(p * n, n);
            int j = 0;
            for (; j + Vector<float>.Count <= n; j += Vector<float>.Count)
                (new Vector<float>(c.Slice(j)) + new Vector<float>(av) * new Vector<float>(bRow.Slice(j))).CopyTo(c.Slice(j));
            for (; j < n; j++) c[j] += av * bRow[j];
        }
    }
}
