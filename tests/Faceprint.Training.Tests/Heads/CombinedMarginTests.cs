using CsCheck;
using Faceprint.Training.Heads;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Heads;

public sealed class CombinedMarginTests
{
    [Fact]
    public void LogitsMatchAPlainReferenceForAnyMarginsAndCosines()
    {
        var gen =
            from m1 in Gen.Double[0.8, 1.5]
            from m2 in Gen.Double[0, 0.8]
            from m3 in Gen.Double[0, 0.5]
            from n in Gen.Int[1, 6]
            from c in Gen.Int[2, 7]
            from cosines in Gen.Double[-1, 1].Array[n * c]
            from labels in Gen.Int[0, c - 1].Array[n]
            select (m1, m2, m3, n, c, cosines, labels);
        gen.Sample(t =>
        {
            var margin = new CombinedMargin(t.m1, t.m2, t.m3, scale: 32);
            using var cos = tensor(t.cosines.Select(v => (float)v).ToArray(), [t.n, t.c]);
            using var labels = tensor(t.labels.Select(l => (long)l).ToArray());
            using var logits = margin.Logits(cos, labels);
            var got = logits.data<float>().ToArray();
            for (int i = 0; i < t.n; i++)
                for (int j = 0; j < t.c; j++)
                {
                    double v = t.cosines[i * t.c + j];
                    double expected = 32 * (j == t.labels[i] ? Reference(t.m1, t.m2, t.m3, v) : Math.Clamp(v, -1 + 1e-6, 1 - 1e-6));
                    // float32 cosines near ±1 lose angle precision; 32·(few 1e-3) bounds that.
                    Assert.True(Math.Abs(got[i * t.c + j] - expected) < 0.1, $"({i},{j}) cos {v}: {got[i * t.c + j]} vs {expected}");
                }
        }, iter: 200);
    }

    [Fact]
    public void ArcFaceAndCosFaceMatchTheirTextbookFormulas()
    {
        Assert.Equal(Math.Cos(Math.Acos(0.6) + 0.5), CombinedMargin.ArcFace.TargetCosine(0.6), 12);
        Assert.Equal(0.6 - 0.4, CombinedMargin.CosFace.TargetCosine(0.6), 12);
        Assert.Equal(64, CombinedMargin.ArcFace.Scale);
    }

    [Fact]
    public void ArcFacePastPiKeepsPenalisingInsteadOfTurningBackUp()
    {
        var arc = CombinedMargin.ArcFace;
        // θ + 0.5 > π once cos θ < cos(π − 0.5); there cos(θ + m) would rise again as θ grows.
        double boundary = Math.Cos(Math.PI - 0.5);
        var xs = Enumerable.Range(0, 200).Select(i => -1 + i * (boundary + 1.2) / 200).ToArray();
        for (int i = 1; i < xs.Length; i++)
            Assert.True(arc.TargetCosine(xs[i]) >= arc.TargetCosine(xs[i - 1]) - 1e-12, $"not monotonic at cos {xs[i]}");
        Assert.Equal(-0.99 - 0.5 * Math.Sin(0.5), arc.TargetCosine(-0.99), 12);

        using var cos = tensor(new float[] { -0.99f, 0.3f }, [1, 2]).requires_grad_();
        using var logits = CombinedMargin.ArcFace.Logits(cos, tensor(new long[] { 0 }));
        using var sum = logits.sum();
        sum.backward();
        Assert.All(cos.grad!.data<float>().ToArray(), g => Assert.True(float.IsFinite(g)));
    }

    private static double Reference(double m1, double m2, double m3, double cosine)
    {
        double c = Math.Clamp(cosine, -1 + 1e-6, 1 - 1e-6);
        double angle = m1 * Math.Acos(c) + m2;
        return (angle <= Math.PI ? Math.Cos(angle) : c - m2 * Math.Sin(m2)) - m3;
    }
}
