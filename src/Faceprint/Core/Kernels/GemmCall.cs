namespace Faceprint.Core.Kernels;

/// <summary>
/// Operands of one GEMM call as raw pointers (the buffers are pinned or fixed by the caller for its duration):
/// C[M, N] = act(A[M, K]·B + bias) (+ residual[M, N]), A with row stride <see cref="Lda"/>, C and the residual dense.
/// </summary>
internal readonly unsafe struct GemmCall
{
    public GemmCall(float* a, int lda, GemmWeights weights, float* packed, float* bias, float* slopes, float* c, float* residual)
    {
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
}
