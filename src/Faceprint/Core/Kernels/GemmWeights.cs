namespace Faceprint.Core.Kernels;

/// <summary>
/// The right-hand side of C = A·B + bias, packed once at load for one <see cref="KernelIsa"/>: B[K, N] is cut into
/// column panels two registers wide, each stored k-major ([panel][k][lane]) so the micro-kernel streams it with
/// aligned, unit-stride loads; the last panel, the bias and the PReLU slopes are zero-padded to the panel width so
/// only the final store ever needs a mask.
/// </summary>
public sealed class GemmWeights
{
    /// <summary>Packs B given as <paramref name="weight"/>[n, k] (PyTorch's [out, in] layout of a 1×1 conv or linear layer).</summary>
    public static GemmWeights FromOutIn(ReadOnlySpan<float> weight, int k, int n, ReadOnlySpan<float> bias, Activation activation, KernelIsa isa)
    {
        if (weight.Length != k * n) throw new ArgumentException($"weight has {weight.Length} values, expected {n}x{k}");
        var b = new float[k * n];
        for (int o = 0; o < n; o++)
            for (int i = 0; i < k; i++)
                b[i * n + o] = weight[o * k + i];
        return new GemmWeights(b, k, n, bias, activation, isa);
    }

    /// <summary>
    /// Packs a [cout, cin, kh, kw] conv kernel as B[K, N] with K ordered (ky, kx, ci) — the order of an NHWC
    /// im2col row (see <see cref="Im2Col"/>).
    /// </summary>
    public static GemmWeights FromConvKernel(ReadOnlySpan<float> weight, int cout, int cin, int kh, int kw, ReadOnlySpan<float> bias,
        Activation activation, KernelIsa isa)
    {
        if (weight.Length != cout * cin * kh * kw) throw new ArgumentException($"kernel has {weight.Length} values, expected {cout}x{cin}x{kh}x{kw}");
        var b = new float[weight.Length];
        for (int o = 0; o < cout; o++)
            for (int i = 0; i < cin; i++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        b[((y * kw + x) * cin + i) * cout + o] = weight[((o * cin + i) * kh + y) * kw + x];
        return new GemmWeights(b, cin * kh * kw, cout, bias, activation, isa);
    }

    /// <summary>Packs a row-major B[k, n].</summary>
    public GemmWeights(ReadOnlySpan<float> b, int k, int n, ReadOnlySpan<float> bias, Activation activation, KernelIsa isa)
    {
        if (b.Length != k * n) throw new ArgumentException($"B has {b.Length} values, expected {k}x{n}");
        if (bias.Length != n) throw new ArgumentException($"bias has {bias.Length} values, expected {n}");
        if (activation.Kind == ActivationKind.PRelu && activation.Slopes!.Length != n)
            throw new ArgumentException($"PReLU has {activation.Slopes.Length} slopes, expected {n}");
        K = k;
        N = n;
        Isa = isa;
        Activation = activation;
        PanelWidth = 2 * KernelIsas.Width(isa);
        Panels = (n + PanelWidth - 1) / PanelWidth;
        int padded = Panels * PanelWidth;
        Packed = GC.AllocateArray<float>(Panels * k * PanelWidth, pinned: true);
        for (int p = 0; p < Panels; p++)
            for (int i = 0; i < k; i++)
                for (int lane = 0; lane < PanelWidth; lane++)
                {
                    int col = p * PanelWidth + lane;
                    if (col < n) Packed[(p * k + i) * PanelWidth + lane] = b[i * n + col];
                }
        Bias = GC.AllocateArray<float>(padded, pinned: true);
        bias.CopyTo(Bias);
        Slopes = GC.AllocateArray<float>(padded, pinned: true);
        activation.Slopes?.CopyTo(Slopes, 0);
    }

    private GemmWeights(GemmWeights packed, Activation activation)
    {
        K = packed.K;
        N = packed.N;
        Isa = packed.Isa;
        Activation = activation;
        PanelWidth = packed.PanelWidth;
        Panels = packed.Panels;
        Packed = packed.Packed;
        Bias = packed.Bias;
        Slopes = packed.Slopes;
    }

    /// <summary>The same packed weights with another slope-free activation in the epilogue (graph optimisation fuses one in).</summary>
    public GemmWeights WithActivation(Activation activation)
    {
        if (activation.Kind == ActivationKind.PRelu) throw new ArgumentException("PReLU slopes are packed with the weights");
        return new GemmWeights(this, activation);
    }

    /// <summary>Rows of B (inputs per output).</summary>
    public int K { get; }

    /// <summary>Columns of B (outputs).</summary>
    public int N { get; }

    /// <summary>The instruction set the panels are laid out for.</summary>
    public KernelIsa Isa { get; }

    /// <summary>The activation the GEMM epilogue applies.</summary>
    public Activation Activation { get; }

    internal int PanelWidth { get; }

    internal int Panels { get; }

    // Pinned (pinned object heap) so kernels take their address without a fixed block.
    internal float[] Packed { get; }

    internal float[] Bias { get; }

    internal float[] Slopes { get; }
}
