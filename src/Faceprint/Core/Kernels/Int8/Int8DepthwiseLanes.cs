using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// One channel block of the int8 depthwise conv in one register width (see <see cref="Int8DepthwiseWeights"/> for the
/// tap-pair layout): widen codes, add tap-pair products into the low/high 32-bit sums, and the float epilogue that
/// writes floats or requantized codes in channel order.
/// </summary>
internal unsafe interface IInt8DepthwiseLanes<TV> where TV : struct
{
    /// <summary>Channels per block.</summary>
    static abstract int Channels { get; }

    /// <summary>The block's codes at <paramref name="p"/>, zero-extended to 16 bits.</summary>
    static abstract TV Widen(byte* p);

    /// <summary>Loads packed 16-bit weight pairs.</summary>
    static abstract TV Load(short* p);

    /// <summary>Adds the low halves of taps <paramref name="a"/> and <paramref name="b"/> times their weight pairs into <paramref name="acc"/>.</summary>
    static abstract TV MaddLow(TV acc, TV a, TV b, TV w);

    /// <summary>The same for the high halves.</summary>
    static abstract TV MaddHigh(TV acc, TV a, TV b, TV w);

    /// <summary>Lane-wise sum of two sets of 32-bit sums.</summary>
    static abstract TV Add(TV a, TV b);

    /// <summary>Taps <paramref name="a"/> and <paramref name="b"/> interleaved: the low register's channel pairs.</summary>
    static abstract TV UnpackLow(TV a, TV b);

    /// <summary>The high register's channel pairs.</summary>
    static abstract TV UnpackHigh(TV a, TV b);

    /// <summary>Adds already interleaved tap pairs <paramref name="x"/> times their weight pairs into <paramref name="acc"/>.</summary>
    static abstract TV Madd(TV acc, TV x, TV w);

    /// <summary>Epilogue to floats; the first <paramref name="valid"/> channels are stored.</summary>
    static abstract void StoreFloats(TV low, TV high, in Int8DepthwiseEpilogue e, int at, float* dst, int valid);

    /// <summary>Epilogue to codes; the first <paramref name="valid"/> channels are stored.</summary>
    static abstract void StoreCodes(TV low, TV high, in Int8DepthwiseEpilogue e, int at, byte* dst, int valid);
}

/// <summary>The epilogue's operands: per-channel terms (in lane order) and, for code output, the output's quantization.</summary>
internal readonly unsafe struct Int8DepthwiseEpilogue(float* scale, float* offset, float* slopes, ActivationKind activation, float inverseOutScale, int outZeroPoint)
{
    public float* Scale { get; } = scale;
    public float* Offset { get; } = offset;
    public float* Slopes { get; } = slopes;
    public ActivationKind Activation { get; } = activation;
    public float InverseOutScale { get; } = inverseOutScale;
    public int OutZeroPoint { get; } = outZeroPoint;

    /// <summary>
    /// <see cref="InverseOutScale"/> in every lane of a 512-bit register, made once per block row: made in the loop, the
    /// JIT re-broadcasts it for every pixel.
    /// </summary>
    public Vector512<float> InverseOutScales { get; } = Vector512.Create(inverseOutScale);

    /// <summary><see cref="OutZeroPoint"/> in every lane, as <see cref="InverseOutScales"/>.</summary>
    public Vector512<int> OutZeroPoints { get; } = Vector512.Create(outZeroPoint);

    /// <summary>Bound of the scaled value before rounding (as <see cref="Int8Quantize"/>), so conversion never overflows.</summary>
    public const float Limit = 512f;

    /// <summary>
    /// The terms of the block starting at lane <paramref name="at"/>, for a kernel loop to keep as a local: read through the
    /// caller's reference, the JIT reloads every field after each output store (a store could alias them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Int8DepthwiseEpilogue At(int at) => new(Scale + at, Offset + at, Slopes + at, Activation, InverseOutScale, OutZeroPoint);
}

/// <summary>16 channels in 256-bit registers (AVX2; AVX-VNNI's <c>vpdpwssd</c> fuses the multiply-add where present).</summary>
internal readonly unsafe struct Avx2DepthwiseLanes : IInt8DepthwiseLanes<Vector256<int>>
{
    public static int Channels => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Widen(byte* p) => Avx2.ConvertToVector256Int16(Vector128.Load(p)).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(short* p) => Vector256.Load(p).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MaddLow(Vector256<int> acc, Vector256<int> a, Vector256<int> b, Vector256<int> w) =>
        Madd(acc, Avx2.UnpackLow(a.AsInt16(), b.AsInt16()), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MaddHigh(Vector256<int> acc, Vector256<int> a, Vector256<int> b, Vector256<int> w) =>
        Madd(acc, Avx2.UnpackHigh(a.AsInt16(), b.AsInt16()), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> a, Vector256<int> b) => Avx2.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Madd(Vector256<int> acc, Vector256<short> x, Vector256<short> w) =>
        AvxVnni.IsSupported ? AvxVnni.MultiplyWideningAndAdd(acc, x, w) : Avx2.Add(acc, Avx2.MultiplyAddAdjacent(x, w));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> UnpackLow(Vector256<int> a, Vector256<int> b) => Avx2.UnpackLow(a.AsInt16(), b.AsInt16()).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> UnpackHigh(Vector256<int> a, Vector256<int> b) => Avx2.UnpackHigh(a.AsInt16(), b.AsInt16()).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Madd(Vector256<int> acc, Vector256<int> x, Vector256<int> w) => Madd(acc, x.AsInt16(), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Value(Vector256<int> acc, in Int8DepthwiseEpilogue e, int at)
    {
        var v = Fma.MultiplyAdd(Avx.ConvertToVector256Single(acc), Vector256.Load(e.Scale + at), Vector256.Load(e.Offset + at));
        if (e.Activation == ActivationKind.PRelu) v = Avx.BlendVariable(v * Vector256.Load(e.Slopes + at), v, Avx.CompareGreaterThanOrEqual(v, Vector256<float>.Zero));
        else if (e.Activation == ActivationKind.Relu) v = Avx.Max(v, Vector256<float>.Zero);
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFloats(Vector256<int> low, Vector256<int> high, in Int8DepthwiseEpilogue e, int at, float* dst, int valid)
    {
        var l = Value(low, e, at);
        var h = Value(high, e, at + 8);
        var first = Avx.Permute2x128(l, h, 0x20);
        var second = Avx.Permute2x128(l, h, 0x31);
        if (valid >= 16)
        {
            first.Store(dst);
            second.Store(dst + 8);
            return;
        }
        // Masked stores, not a call: a call would make the JIT spill the kernel's weight registers around it.
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Avx.MaskStore(dst, Vector256.LessThan(lanes, Vector256.Create(valid)).AsSingle(), first);
        Avx.MaskStore(dst + 8, Vector256.LessThan(lanes, Vector256.Create(valid - 8)).AsSingle(), second);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Codes(Vector256<float> v, in Int8DepthwiseEpilogue e)
    {
        var t = Avx.Min(Avx.Max(v * Vector256.Create(e.InverseOutScale), Vector256.Create(-Int8DepthwiseEpilogue.Limit)),
            Vector256.Create(Int8DepthwiseEpilogue.Limit));
        return Avx2.Add(Avx.ConvertToVector256Int32(t), Vector256.Create(e.OutZeroPoint));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCodes(Vector256<int> low, Vector256<int> high, in Int8DepthwiseEpilogue e, int at, byte* dst, int valid)
    {
        // vpackusdw keeps lane order: per 128-bit lane, low's four channels then high's four (channels 8j..8j+7).
        var words = Avx2.PackUnsignedSaturate(Codes(Value(low, e, at), e), Codes(Value(high, e, at + 8), e));
        var bytes = Sse2.PackUnsignedSaturate(words.GetLower().AsInt16(), words.GetUpper().AsInt16());
        if (valid >= 16)
        {
            bytes.Store(dst);
            return;
        }
        Int8Quantize.StorePartial(bytes, dst, valid);
    }
}

/// <summary>32 channels in 512-bit registers (AVX-512BW).</summary>
internal readonly unsafe struct Avx512DepthwiseLanes : IInt8DepthwiseLanes<Vector512<int>>
{
    public static int Channels => 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Widen(byte* p) => Avx512BW.ConvertToVector512Int16(Vector256.Load(p)).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Load(short* p) => Vector512.Load(p).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MaddLow(Vector512<int> acc, Vector512<int> a, Vector512<int> b, Vector512<int> w) =>
        Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(a.AsInt16(), b.AsInt16()), w.AsInt16()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MaddHigh(Vector512<int> acc, Vector512<int> a, Vector512<int> b, Vector512<int> w) =>
        Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(a.AsInt16(), b.AsInt16()), w.AsInt16()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Add(Vector512<int> a, Vector512<int> b) => Avx512F.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> UnpackLow(Vector512<int> a, Vector512<int> b) => Avx512BW.UnpackLow(a.AsInt16(), b.AsInt16()).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> UnpackHigh(Vector512<int> a, Vector512<int> b) => Avx512BW.UnpackHigh(a.AsInt16(), b.AsInt16()).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Madd(Vector512<int> acc, Vector512<int> x, Vector512<int> w) =>
        Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Value(Vector512<int> acc, in Int8DepthwiseEpilogue e, int at)
    {
        var v = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(acc), Vector512.Load(e.Scale + at), Vector512.Load(e.Offset + at));
        // Negative lanes multiplied in place (a masked vmulps), not a multiply and a blend.
        if (e.Activation == ActivationKind.PRelu)
            v = Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), v * Vector512.Load(e.Slopes + at), v);
        else if (e.Activation == ActivationKind.Relu) v = Avx512F.Max(v, Vector512<float>.Zero);
        return v;
    }


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFloats(Vector512<int> low, Vector512<int> high, in Int8DepthwiseEpilogue e, int at, float* dst, int valid)
    {
        var l = Value(low, e, at);
        var h = Value(high, e, at + 16);
        // Output channel e of each 16-channel half: 128-bit lane j = e/8 of the low (e%8 < 4) or high register. Constants
        // written inline, not static fields: a static's class-init check in these loops is a call that spills every register.
        var first = Avx512F.PermuteVar16x32x2(l, Vector512.Create(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23), h);
        var second = Avx512F.PermuteVar16x32x2(l, Vector512.Create(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31), h);
        if (valid >= 32)
        {
            first.Store(dst);
            second.Store(dst + 16);
            return;
        }
        Avx512F.MaskStore(dst, Vector512.LessThan(Vector512<float>.Indices, Vector512.Create((float)valid)), first);
        Avx512F.MaskStore(dst + 16, Vector512.LessThan(Vector512<float>.Indices, Vector512.Create((float)(valid - 16))), second);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Codes(Vector512<float> v, in Int8DepthwiseEpilogue e)
    {
        // Only the upper clamp is needed: below −2³¹ (or NaN: vminps passes its second operand) the conversion gives
        // int.MinValue, which the zero point leaves negative and the unsigned pack turns into code 0, as the lower clamp would.
        var t = Avx512F.Min(Vector512.Create(Int8DepthwiseEpilogue.Limit), v * e.InverseOutScales);
        return Avx512F.Add(Avx512F.ConvertToVector512Int32(t), e.OutZeroPoints);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCodes(Vector512<int> low, Vector512<int> high, in Int8DepthwiseEpilogue e, int at, byte* dst, int valid)
    {
        var words = Avx512BW.PackUnsignedSaturate(Codes(Value(low, e, at), e), Codes(Value(high, e, at + 16), e));
        var bytes = Avx512BW.ConvertToVector256ByteWithSaturation(words);
        if (valid >= 32)
        {
            bytes.Store(dst);
            return;
        }
        Int8Quantize.StorePartial(bytes.GetLower(), dst, Math.Min(valid, 16));
        if (valid > 16) Int8Quantize.StorePartial(bytes.GetUpper(), dst + 16, valid - 16);
    }
}
