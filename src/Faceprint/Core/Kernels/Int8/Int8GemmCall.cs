using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Operands of one int8 GEMM call as raw pointers (pinned or fixed by the caller): quantized A rows
/// (<see cref="Lda"/> 32-bit words apart), packed B, the float epilogue terms, C (floats, or u8 codes requantized with the
/// consumer's parameters) and the optional float residual (dense, N columns).
/// </summary>
internal readonly unsafe struct Int8GemmCall
{
    public Int8GemmCall(int* a, int lda, Int8GemmWeights w, byte* packed, float* scale, float* offset, float* slopes, float* c, float* residual,
        byte* codes = null, QuantParams codeParams = default)
    {
        Codes = codes;
        InverseCodeScale = codes == null ? 0f : 1f / codeParams.Scale;
        CodeZeroPoint = codeParams.ZeroPoint;
        A = a;
        Lda = lda;
        Steps = w.PaddedK / w.KStep;
        N = w.N;
        Ldc = w.N;
        B = packed;
        Scale = scale;
        Offset = offset;
        Slopes = slopes;
        Activation = w.Activation.Kind;
        C = c;
        Residual = residual;
    }

    public int* A { get; }
    public int Lda { get; }
    public int Steps { get; }
    public int N { get; }
    public int Ldc { get; }
    public byte* B { get; }
    public float* Scale { get; }
    public float* Offset { get; }
    public float* Slopes { get; }
    public ActivationKind Activation { get; }
    public float* C { get; }
    public float* Residual { get; }

    /// <summary>When not null, C is written here as u8 codes (N per row) instead of floats to <see cref="C"/>.</summary>
    public byte* Codes { get; }

    public float InverseCodeScale { get; }
    public int CodeZeroPoint { get; }

    /// <summary>Lanes [0, count) set, for masked tail loads and stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> TailMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();
}
