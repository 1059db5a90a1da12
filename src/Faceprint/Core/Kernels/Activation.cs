namespace Faceprint.Core.Kernels;

/// <summary>Which non-linearity a layer applies to its output, fused into the producing kernel.</summary>
public enum ActivationKind
{
    /// <summary>Identity.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>x for x ≥ 0, α_c·x otherwise, one slope per channel.</summary>
    PRelu,

    /// <summary>Exact (erf) GELU, as <see cref="GeluKernel"/> computes it.</summary>
    Gelu,

    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
}

/// <summary>A fused activation: kind plus, for PReLU, one slope per output channel (kernels apply it in their epilogues).</summary>
public sealed class Activation
{
    /// <summary>The identity.</summary>
    public static readonly Activation None = new(ActivationKind.None, null);

    /// <summary>ReLU.</summary>
    public static readonly Activation Relu = new(ActivationKind.Relu, null);

    /// <summary>Exact GELU.</summary>
    public static readonly Activation Gelu = new(ActivationKind.Gelu, null);

    /// <summary>ReLU6.</summary>
    public static readonly Activation Relu6 = new(ActivationKind.Relu6, null);

    private Activation(ActivationKind kind, float[]? slopes)
    {
        Kind = kind;
        Slopes = slopes;
    }

    /// <summary>PReLU with per-channel slopes.</summary>
    public static Activation PRelu(float[] slopes) => new(ActivationKind.PRelu, slopes);

    /// <summary>The kind.</summary>
    public ActivationKind Kind { get; }

    /// <summary>PReLU slopes (null for the others).</summary>
    public float[]? Slopes { get; }
}
