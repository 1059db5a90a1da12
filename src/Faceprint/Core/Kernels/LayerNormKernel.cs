using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// LayerNorm over the channels of each token (NHWC rows of C values): (x − mean)/√(var + eps)·γ + β with the
/// biased variance, as <c>nn.LayerNorm</c>; empty γ and β mean no affine (a reparameterized graph folds it into
/// the next linear). Two passes (mean, then centred squares) keep fp32 accurate; rows go at the full register width of
/// each instruction set.
/// </summary>
public static unsafe class LayerNormKernel
{
    /// <summary>Normalises rows [rowStart, rowEnd) of <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int c, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, int rowStart, int rowEnd) => Run(input, output, c, gamma, beta, epsilon, rowStart, rowEnd, KernelIsas.Best);

    /// <summary>As <see cref="Run(ReadOnlySpan{float}, Span{float}, int, ReadOnlySpan{float}, ReadOnlySpan{float}, float, int, int)"/> on a given instruction set (tests compare them).</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int c, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, int rowStart, int rowEnd, KernelIsa isa)
    {
        if (rowEnd <= rowStart) return;
        if ((long)rowEnd * c > Math.Min(input.Length, output.Length)) throw new ArgumentException("input or output is too short for the rows");
        bool affine = !gamma.IsEmpty;
        if (affine && (gamma.Length < c || beta.Length < c)) throw new ArgumentException($"γ and β need {c} values");
        fixed (float* x = input)
        fixed (float* y = output)
        fixed (float* g = gamma)
        fixed (float* b = beta)
        {
            var rows = new RowArgs(x, y, c, affine ? g : null, b, epsilon);
            switch (isa)
            {
                case KernelIsa.Avx512: Rows<Avx512Simd, Vector512<float>>(rows, rowStart, rowEnd); break;
                case KernelIsa.Avx2: Rows<Avx2Simd, Vector256<float>>(rows, rowStart, rowEnd); break;
                default: Rows<PortableSimd, Vector<float>>(rows, rowStart, rowEnd); break;
            }
        }
    }

    /// <summary>The operands of one call; <see cref="Gamma"/> null means no affine.</summary>
    private readonly struct RowArgs(float* x, float* y, int c, float* gamma, float* beta, float epsilon)
    {
        public float* X { get; } = x;
        public float* Y { get; } = y;
        public int C { get; } = c;
        public float* Gamma { get; } = gamma;
        public float* Beta { get; } = beta;
        public float Epsilon { get; } = epsilon;
    }

    // Full register width per instruction set; each row is still mean first, then centred squares (as accurate as before).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TS, TV>(in RowArgs a, int rowStart, int rowEnd) where TS : struct, ISimd<TV> where TV : struct
    {
        int c = a.C, w = TS.Width, full = c - c % w, tail = c - full;
        for (int row = rowStart; row < rowEnd; row++)
        {
            float* x = a.X + (nint)row * c, y = a.Y + (nint)row * c;
            TV s0 = TS.Splat(0f), s1 = TS.Splat(0f);
            int j = 0;
            for (; j + 2 * w <= full; j += 2 * w)
            {
                s0 = TS.Add(s0, TS.Load(x + j));
                s1 = TS.Add(s1, TS.Load(x + j + w));
            }
            if (j < full) s0 = TS.Add(s0, TS.Load(x + j));
            // The partial load zero-fills, so the tail adds nothing extra to the sum.
            if (tail > 0) s1 = TS.Add(s1, TS.LoadPartial(x + full, tail));
            float mean = TS.SumAcross(TS.Add(s0, s1)) / c;
            var m = TS.Splat(mean);
            TV q0 = TS.Splat(0f), q1 = TS.Splat(0f);
            for (j = 0; j + 2 * w <= full; j += 2 * w)
            {
                var d0 = TS.Subtract(TS.Load(x + j), m);
                var d1 = TS.Subtract(TS.Load(x + j + w), m);
                q0 = TS.MultiplyAdd(d0, d0, q0);
                q1 = TS.MultiplyAdd(d1, d1, q1);
            }
            if (j < full)
            {
                var d = TS.Subtract(TS.Load(x + j), m);
                q0 = TS.MultiplyAdd(d, d, q0);
            }
            float squares = TS.SumAcross(TS.Add(q0, q1));
            // Zero-filled lanes would add mean² each: the tail's squares are summed one by one.
            for (j = full; j < c; j++) squares += (x[j] - mean) * (x[j] - mean);
            var s = TS.Splat(1f / MathF.Sqrt(squares / c + a.Epsilon));
            for (j = 0; j < full; j += w)
            {
                var v = TS.Multiply(TS.Subtract(TS.Load(x + j), m), s);
                if (a.Gamma != null) v = TS.MultiplyAdd(v, TS.Load(a.Gamma + j), TS.Load(a.Beta + j));
                TS.Store(y + j, v);
            }
            if (tail > 0)
            {
                var v = TS.Multiply(TS.Subtract(TS.LoadPartial(x + full, tail), m), s);
                if (a.Gamma != null) v = TS.MultiplyAdd(v, TS.LoadPartial(a.Gamma + full, tail), TS.LoadPartial(a.Beta + full, tail));
                TS.StorePartial(y + full, v, tail);
            }
        }
    }

    /// <summary>y = (x − mean)·inverse·γ + β over one row of channels.</summary>
    internal static void Normalize(ReadOnlySpan<float> x, Span<float> y, float mean, float inverse, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta)
    {
        var m = new Vector<float>(mean);
        var s = new Vector<float>(inverse);
        int j = 0;
        for (; j + Vector<float>.Count <= x.Length; j += Vector<float>.Count)
            ((new Vector<float>(x.Slice(j)) - m) * s * new Vector<float>(gamma.Slice(j)) + new Vector<float>(beta.Slice(j))).CopyTo(y.Slice(j));
        for (; j < x.Length; j++) y[j] = (x[j] - mean) * inverse * gamma[j] + beta[j];
    }
}
