using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Operands of one int8 GEMM call as raw pointers (pinned or fixed by the caller): quantized A rows
/// (<see cref="Lda"/> bytes apart, any multiple of the element size: the few-channel conv's windows lie 18 bytes apart),
/// packed B, the float epilogue terms, C (floats, or u8 codes requantized with the consumer's parameters, per tensor or
/// per output channel) and the optional float residual (dense, N columns).
/// </summary>
internal readonly unsafe struct Int8GemmCall
{
    public Int8GemmCall(byte* a, nint lda, Int8GemmWeights w, byte* packed, float* scale, float* offset, float* slopes, float* c, float* residual,
        byte* codes = null, QuantParams codeParams = default, StemConvCodes? channelCodes = null)
    {
        Codes = codes;
        // Pinned arrays, padded to whole panels: their addresses hold without a fixed block.
        CodeInverses = codes == null || channelCodes is null ? null : (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(channelCodes.Inverse));
        CodeZeroPoints = codes == null || channelCodes is null ? null : (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(channelCodes.ZeroPoints));
        InverseCodeScale = codes == null || channelCodes is not null ? 0f : 1f / codeParams.Scale;
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

    public byte* A { get; }

    /// <summary>Bytes between A's rows.</summary>
    public nint Lda { get; }
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

    /// <summary>1 / scale of each output channel's codes (padded to whole panels), or null for the one <see cref="InverseCodeScale"/>.</summary>
    public float* CodeInverses { get; }

    /// <summary>Zero point of each output channel's codes (padded likewise), or null for the one <see cref="CodeZeroPoint"/>.</summary>
    public int* CodeZeroPoints { get; }

    /// <summary>Lanes [0, count) set, for masked tail loads and stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> TailMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();
}
