namespace Faceprint.Core.Kernels;

/// <summary>
/// One MHLA head's two token-axis linears, prepared once for both ways <see cref="TokenMixingKernel"/> can run them:
/// packed as the GEMM's right operand (token rows, GELU fused into the first one), and in PyTorch's row-major
/// [out, in] order with the bias appended as one more column for the GEMM's left operand (weight rows; a row of
/// ones under the activations adds the bias), which needs no padding of the token axis to a register multiple.
/// </summary>
public sealed class TokenMixingWeights
{
    /// <summary>Takes the first linear as [hidden, tokens] with bias [hidden] and the second as [tokens, hidden] with bias [tokens].</summary>
    public TokenMixingWeights(ReadOnlySpan<float> weight1, ReadOnlySpan<float> bias1, ReadOnlySpan<float> weight2, ReadOnlySpan<float> bias2, KernelIsa isa)
    {
        Hidden = bias1.Length;
        Tokens = bias2.Length;
        if (Hidden == 0 || Tokens == 0 || weight1.Length != Hidden * Tokens || weight2.Length != Tokens * Hidden)
            throw new ArgumentException($"weights do not fit {Tokens} tokens and {Hidden} hidden");
        Isa = isa;
        First = GemmWeights.FromOutIn(weight1, Tokens, Hidden, bias1, Activation.Gelu, isa);
        Second = GemmWeights.FromOutIn(weight2, Hidden, Tokens, bias2, Activation.None, isa);
        FirstRows = Augment(weight1, bias1, Hidden, Tokens);
        SecondRows = Augment(weight2, bias2, Tokens, Hidden);
    }

    /// <summary>Tokens N (the second linear's outputs, the first one's inputs).</summary>
    public int Tokens { get; }

    /// <summary>Hidden width e·N.</summary>
    public int Hidden { get; }

    /// <summary>Instruction set the packed forms are laid out for.</summary>
    public KernelIsa Isa { get; }

    /// <summary>First linear packed as B[tokens, hidden] with its bias and GELU.</summary>
    internal GemmWeights First { get; }

    /// <summary>Second linear packed as B[hidden, tokens] with its bias.</summary>
    internal GemmWeights Second { get; }

    /// <summary>First linear, [hidden, tokens + 1]: row m is W₁[m, ·] then b₁[m].</summary>
    internal float[] FirstRows { get; }

    /// <summary>Second linear, [tokens, hidden + 1]: row n is W₂[n, ·] then b₂[n].</summary>
    internal float[] SecondRows { get; }

    private static float[] Augment(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int columns)
    {
        var augmented = GC.AllocateArray<float>(rows * (columns + 1), pinned: true);
        for (int r = 0; r < rows; r++)
        {
            weight.Slice(r * columns, columns).CopyTo(augmented.AsSpan(r * (columns + 1)));
            augmented[r * (columns + 1) + columns] = bias[r];
        }
        return augmented;
    }
}
