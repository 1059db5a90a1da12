using System.Numerics;
using System.Runtime.InteropServices;

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
}

/// <summary>A fused activation: kind plus, for PReLU, one slope per output channel.</summary>
public sealed class Activation
{
    /// <summary>The identity.</summary>
    public static readonly Activation None = new(ActivationKind.None, null);

    /// <summary>ReLU.</summary>
    public static readonly Activation Relu = new(ActivationKind.Relu, null);

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

    /// <summary>Applies the activation in place to rows of <paramref name="channels"/> values.</summary>
    public void Apply(Span<float> data, int channels)
    {
        switch (Kind)
        {
            case ActivationKind.Relu:
                ApplyRelu(data);
                break;
            case ActivationKind.PRelu:
                for (int offset = 0; offset < data.Length; offset += channels)
                    ApplyPRelu(data.Slice(offset, channels), Slopes!);
                break;
        }
    }

    private static void ApplyRelu(Span<float> data)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(data);
        for (int i = 0; i < vectors.Length; i++) vectors[i] = Vector.Max(vectors[i], Vector<float>.Zero);
        for (int i = vectors.Length * Vector<float>.Count; i < data.Length; i++) data[i] = MathF.Max(data[i], 0f);
    }

    /// <summary>PReLU over one row of channels.</summary>
    public static void ApplyPRelu(Span<float> row, ReadOnlySpan<float> slopes)
    {
        int c = 0;
        for (; c <= row.Length - Vector<float>.Count; c += Vector<float>.Count)
        {
            var x = new Vector<float>(row.Slice(c));
            var a = new Vector<float>(slopes.Slice(c));
            Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, x * a).CopyTo(row.Slice(c));
        }
        for (; c < row.Length; c++) row[c] = row[c] >= 0 ? row[c] : row[c] * slopes[c];
    }
}
