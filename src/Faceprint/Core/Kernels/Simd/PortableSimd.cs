using System.Numerics;
using System.Runtime.CompilerServices;

namespace Faceprint.Core.Kernels.Simd;

/// <summary><see cref="Vector{T}"/> of the runtime's preferred width; tails go through a small stack copy.</summary>
internal readonly unsafe struct PortableSimd : ISimd<Vector<float>>
{
    public static int Width => Vector<float>.Count;

    // Sized for 16 architectural vector registers (x64 without AVX-512, most others have at least that).
    public static int GemmRows => 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(float* p) => Vector.Load(p);

    // Vector<T> has no prefetch; the hardware prefetcher alone serves this fallback path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(float* p) { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector<float> v) => v.Store(p);

    public static Vector<float> LoadPartial(float* p, int count)
    {
        var lanes = stackalloc float[Vector<float>.Count];
        for (int i = 0; i < Vector<float>.Count; i++) lanes[i] = i < count ? p[i] : 0f;
        return Vector.Load(lanes);
    }

    public static void StorePartial(float* p, Vector<float> v, int count)
    {
        for (int i = 0; i < count; i++) p[i] = v[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Splat(float x) => new(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => Vector.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Add(Vector<float> a, Vector<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Multiply(Vector<float> a, Vector<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Max(Vector<float> a, Vector<float> b) => Vector.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> PRelu(Vector<float> x, Vector<float> slope) =>
        Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, x * slope);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Subtract(Vector<float> a, Vector<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Divide(Vector<float> a, Vector<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Min(Vector<float> a, Vector<float> b) => Vector.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Abs(Vector<float> x) => Vector.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LessThan(Vector<float> a, Vector<float> b) => Vector.AsVectorSingle(Vector.LessThan(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Select(Vector<float> mask, Vector<float> ifSet, Vector<float> ifClear) =>
        Vector.ConditionalSelect(Vector.AsVectorInt32(mask), ifSet, ifClear);

    public static float MaxAcross(Vector<float> v)
    {
        float max = v[0];
        for (int i = 1; i < Vector<float>.Count; i++) max = MathF.Max(max, v[i]);
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(Vector<float> v) => Vector.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Pow2(Vector<float> n) =>
        Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
}
