using TorchSharp;
using static TorchSharp.torch;

namespace Faceprint.Training.Heads;

/// <summary>
/// InsightFace's combined margin: the target class's logit becomes s·(cos(m1·θ + m2) − m3) and every other logit s·cos θ.
/// ArcFace is (1, 0.5, 0), CosFace (1, 0, 0.4), SphereFace-like m1 &gt; 1.
/// </summary>
public sealed record CombinedMargin
{
    /// <summary>Cosines are kept this far inside ±1, where acos and its gradient stay finite.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>Creates the margin; <paramref name="m1"/> must be positive, <paramref name="m2"/> in [0, π), <paramref name="m3"/> ≥ 0.</summary>
    public CombinedMargin(double m1, double m2, double m3, double scale = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m1);
        if (m2 is < 0 or >= Math.PI)
            throw new ArgumentOutOfRangeException(nameof(m2), m2, "additive angular margin must lie in [0, π)");
        ArgumentOutOfRangeException.ThrowIfNegative(m3);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        (M1, M2, M3, Scale) = (m1, m2, m3, scale);
    }

    /// <summary>ArcFace: additive angular margin 0.5.</summary>
    public static CombinedMargin ArcFace => new(1, 0.5, 0);

    /// <summary>CosFace: additive cosine margin 0.4.</summary>
    public static CombinedMargin CosFace => new(1, 0, 0.4);

    /// <summary>Multiplicative angular margin.</summary>
    public double M1 { get; }

    /// <summary>Additive angular margin (radians).</summary>
    public double M2 { get; }

    /// <summary>Additive cosine margin.</summary>
    public double M3 { get; }

    /// <summary>Logit scale s.</summary>
    public double Scale { get; }

    /// <summary>
    /// The target logit before scaling, for a target cosine <paramref name="cosine"/>, in double precision: the reference
    /// the tensor path is tested against. When m1·θ + m2 passes π, cos would turn back up and reward a worse angle, so
    /// (as InsightFace's non-easy-margin ArcFace) the penalty continues as cos θ − m2·sin m2 instead.
    /// </summary>
    public double TargetCosine(double cosine)
    {
        double c = Math.Clamp(cosine, -1 + Epsilon, 1 - Epsilon);
        double theta = Math.Acos(c);
        double angle = M1 * theta + M2;
        double value = M1 == 1 && M2 == 0 ? c : angle <= Math.PI ? Math.Cos(angle) : c - M2 * Math.Sin(M2);
        return value - M3;
    }

    /// <summary>
    /// Scaled logits for cross-entropy: <paramref name="cosine"/> (N×C) with each row's <paramref name="labels"/> column
    /// replaced by the margin-penalised target. Differentiable in <paramref name="cosine"/>.
    /// </summary>
    public Tensor Logits(Tensor cosine, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var c = cosine.clamp(-1 + Epsilon, 1 - Epsilon);
        var index = labels.unsqueeze(1);
        var target = c.gather(1, index);
        Tensor penalised;
        if (M1 == 1 && M2 == 0)
        {
            penalised = target;
        }
        else
        {
            var angle = target.acos() * M1 + M2;
            penalised = where(angle <= Math.PI, angle.cos(), target - M2 * Math.Sin(M2));
        }
        if (M3 != 0)
            penalised = penalised - M3;
        return c.scatter(1, index, penalised).mul(Scale).MoveToOuterDisposeScope();
    }
}
