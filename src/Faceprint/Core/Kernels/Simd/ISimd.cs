namespace Faceprint.Core.Kernels.Simd;

/// <summary>
/// The few vector operations the kernels need, as static members of a struct so each kernel is written once and
/// the JIT specialises it per instruction set (<see cref="Avx512Simd"/>, <see cref="Avx2Simd"/>, <see cref="PortableSimd"/>).
/// </summary>
/// <typeparam name="TV">The register type.</typeparam>
internal unsafe interface ISimd<TV> where TV : struct
{
    /// <summary>Floats per register.</summary>
    static abstract int Width { get; }

    /// <summary>Rows of the GEMM micro-tile: as many as the register file holds with two vectors of accumulators per row.</summary>
    static abstract int GemmRows { get; }

    static abstract TV Load(float* p);

    static abstract void Store(float* p, TV v);

    /// <summary>Hints that the cache line holding <paramref name="p"/> will be read soon (never faults; may do nothing).</summary>
    static abstract void Prefetch(float* p);

    /// <summary>Loads the first <paramref name="count"/> floats (0 &lt; count &lt; Width), zero elsewhere, touching no memory past them.</summary>
    static abstract TV LoadPartial(float* p, int count);

    /// <summary>Stores the first <paramref name="count"/> lanes only.</summary>
    static abstract void StorePartial(float* p, TV v, int count);

    static abstract TV Splat(float x);

    /// <summary>a·b + c.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    static abstract TV Add(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Max(TV a, TV b);

    /// <summary>x where x ≥ 0, slope·x elsewhere.</summary>
    static abstract TV PRelu(TV x, TV slope);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Divide(TV a, TV b);

    static abstract TV Min(TV a, TV b);

    static abstract TV Abs(TV x);

    /// <summary>All bits set in the lanes where a &lt; b, clear elsewhere (a mask for <see cref="Select"/>).</summary>
    static abstract TV LessThan(TV a, TV b);

    /// <summary>ifSet where the mask lane is set, ifClear elsewhere.</summary>
    static abstract TV Select(TV mask, TV ifSet, TV ifClear);

    /// <summary>The largest lane.</summary>
    static abstract float MaxAcross(TV v);

    /// <summary>The sum of the lanes.</summary>
    static abstract float SumAcross(TV v);

    /// <summary>2ⁿ for lanes holding integers n in [−126, 127] (built in the exponent bits).</summary>
    static abstract TV Pow2(TV n);
}
