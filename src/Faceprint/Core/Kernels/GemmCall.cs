namespace Faceprint.Core.Kernels;

/// <summary>
/// Operands of one GEMM call as raw pointers (the buffers are pinned or fixed by the caller for its duration):
/// C[M, N] = act(A[M, K]·B + bias) (+ residual[M, N]), A with row stride <see cref="Lda"/>, C and the residual dense.
/// </summary>
internal readonly unsafe struct GemmCall
{
    public GemmCall(float* a, int lda, GemmWeights weights, float* packed, float* bias, float* slopes, float* c, float* residual, float* next = null)
    {
        Next = next;
        A = a;
        Lda = lda;
        K = weights.K;
        N = weights.N;
        Ldc = weights.N;
        B = packed;
        Bias = bias;
        Slopes = slopes;
        Activation = weights.Activation.Kind;
        C = c;
        Residual = residual;
    }

    /// <summary>
    /// Operands packed at run time (attention's keys and values): B already in <see cref="GemmWeights"/>' panel layout
    /// for <paramref name="k"/>×<paramref name="n"/>, no activation, C's rows <paramref name="ldc"/> apart (a strided
    /// view, so a head can write its columns straight into a wider output).
    /// </summary>
    public GemmCall(float* a, int lda, int k, int n, float* packed, float* bias, float* c, int ldc)
    {
        A = a;
        Lda = lda;
        K = k;
        N = n;
        Ldc = ldc;
        B = packed;
        Bias = bias;
        // The tile loads slopes whatever the activation; with none they are never used, so the bias serves.
        Slopes = bias;
        Activation = ActivationKind.None;
        C = c;
    }

    public float* A { get; }
    public int Lda { get; }
    public int K { get; }
    public int N { get; }
    public int Ldc { get; }
    public float* B { get; }
    public float* Bias { get; }
    public float* Slopes { get; }
    public ActivationKind Activation { get; }
    public float* C { get; }
    public float* Residual { get; }

    /// <summary>Packed weights of the GEMM that runs next (or null): the last panel prefetches their first panel.</summary>
    public float* Next { get; }
}
